"""Atom feed of changes to migration statements (from their history): watch a path."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import MigrationMethod, MigrationStatement

FEED_SIZE = 50


class MigrationChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "VirtCompare: migration path changes"
    subtitle = "Every change to a statement about a migration method: when and what it says now."

    def get_object(self, request, source=None, target=None):
        return (source, target) if source else None

    def link(self, obj):
        return reverse("migrate-pair", args=obj) if obj else reverse("migrate")

    def items(self, obj):
        history = MigrationStatement.history.all()
        if obj:
            history = history.filter(
                method__path__source__slug=obj[0], method__path__target__slug=obj[1]
            )
        return list(
            history.select_related("method__path__source", "method__path__target").order_by(
                "-history_date", "-history_id"
            )[:FEED_SIZE]
        )

    def _method(self, item):
        # A statement whose method was deleted since keeps its history row, without a method.
        try:
            return item.method
        except MigrationMethod.DoesNotExist:
            return None

    def item_title(self, item):
        method = self._method(item)
        where = f"{method.path} · {method.tool}" if method else "a removed method"
        return (
            f"{where}: {item.get_topic_display().lower()} {item.get_history_type_display().lower()}"
        )

    def item_description(self, item):
        return (
            f"{item.text} (status {item.get_status_display()}, "
            f"confidence {item.get_confidence_display()})"
        )

    def item_link(self, item):
        method = self._method(item)
        if method is None:
            return reverse("migrate")
        path = method.path
        url = reverse("migrate-pair", args=[path.source.slug, path.target.slug])
        return f"{url}#method-{method.slug}"

    def item_guid(self, item):
        return f"migration-statement-{item.id}-change-{item.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.history_date

    def item_updateddate(self, item):
        return item.history_date


def pair_feed(request, source: str, target: str):
    from comparisons.models import Platform

    if Platform.objects.filter(slug__in=[source, target]).count() != 2 or source == target:
        raise Http404("No such migration pair.")
    return MigrationChangesFeed()(request, source=source, target=target)

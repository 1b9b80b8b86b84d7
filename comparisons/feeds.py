"""Atom feeds of catalogue changes, from the claims' history: watch a claim, don't re-check it."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Claim, Feature, Platform

FEED_SIZE = 50


class ClaimChangesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("VirtCompare: catalogue changes")
    subtitle = gettext_lazy("Every change to a claim: who, when and what it says now.")

    def get_object(self, request, *args, **kwargs):
        return None

    def link(self, obj):
        return reverse("fact-checks")

    def history(self, obj):
        return Claim.history.all()

    def items(self, obj):
        return (
            self.history(obj)
            .select_related("platform", "feature", "release_from", "history_user")
            .order_by("-history_date", "-history_id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return _("%(platform)s · %(feature)s (%(release)s+): %(change)s") % {
            "platform": item.platform.name,
            "feature": item.feature.name,
            "release": item.release_from.version,
            "change": item.get_history_type_display().lower(),
        }

    def item_description(self, item):
        value = f" {item.value:g} {item.feature.unit}" if item.value is not None else ""
        text = f" {item.text}" if item.text else ""
        # The history keeps the English text and note (the Chinese columns are not recorded).
        return _("Now: %(support)s; status %(status)s; confidence %(confidence)s.") % {
            "support": f"{item.get_support_display()}{value}{text}",
            "status": item.get_status_display(),
            "confidence": item.get_confidence_display(),
        } + (f" {item.note}" if item.note else "")

    def item_link(self, item):
        return reverse("claim-detail", args=[item.id])

    def item_guid(self, item):
        return f"claim-{item.id}-change-{item.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.history_date

    def item_updateddate(self, item):
        return item.history_date

    def item_author_name(self, item):
        return item.history_user.username if item.history_user else "catalogue loader"


class PlatformChangesFeed(ClaimChangesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Platform, slug=slug)

    def title(self, obj):
        return _("VirtCompare: changes to %(name)s claims") % {"name": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def history(self, obj):
        return Claim.history.filter(platform=obj)


class FeatureChangesFeed(ClaimChangesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Feature, slug=slug)

    def title(self, obj):
        return _("VirtCompare: changes to %(name)s claims") % {"name": obj.name}

    def link(self, obj):
        return f"{reverse('compare')}?q={obj.slug}"

    def history(self, obj):
        return Claim.history.filter(feature=obj)

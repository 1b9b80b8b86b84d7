"""Read shapes for the catalogue pages, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from .models import Platform, Release


def platforms_for_home():
    """Platforms with their current release and published-claim counts: two queries."""
    return (
        Platform.objects.select_related("vendor")
        .prefetch_related(
            Prefetch(
                "releases", queryset=Release.objects.filter(is_current=True), to_attr="current"
            )
        )
        .annotate(
            claim_count=Count("claims", filter=Q(claims__status__in=["published", "disputed"]))
        )
    )

import django_filters
from django.db.models import F, Q

from . import matrix, selectors
from .models import Claim, Feature


class FeatureFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__slug")
    search = django_filters.CharFilter(method="search_text", label="Name, description or alias")

    class Meta:
        model = Feature
        fields = ["category", "kind"]

    def search_text(self, queryset, name, value):
        # The matrix's search, so the API finds what the page finds (both languages, the
        # glossary's variants, spaces and full-width forms ignored): one more query.
        found = [f.slug for f in selectors.feature_infos() if matrix.matches(f, value)]
        return queryset.filter(slug__in=found)


class ClaimFilter(django_filters.FilterSet):
    platform = django_filters.CharFilter(field_name="platform__slug")
    feature = django_filters.CharFilter(field_name="feature__slug")
    category = django_filters.CharFilter(field_name="feature__category__slug")
    release = django_filters.CharFilter(
        method="at_release", label="Claims that apply to this release"
    )
    checked_after = django_filters.DateFilter(
        field_name="citations__source__checked", lookup_expr="gte", distinct=True
    )
    checked_before = django_filters.DateFilter(
        field_name="citations__source__checked", lookup_expr="lt", distinct=True
    )
    stale = django_filters.ChoiceFilter(
        method="by_freshness",
        choices=[("1", "stale"), ("0", "fresh")],
        label="1: only claims whose sources were all last checked more than 12 months ago; "
        "0: only the others",
    )

    class Meta:
        model = Claim
        fields = ["platform", "feature", "category", "status", "confidence", "support"]

    def by_freshness(self, queryset, name, value):
        stale = Claim.objects.stale().values("pk")
        return queryset.filter(pk__in=stale) if value == "1" else queryset.exclude(pk__in=stale)

    def at_release(self, queryset, name, value):
        # One filter() call, so the release join is shared by all three conditions.
        at = F("platform__releases__position")
        return queryset.filter(
            Q(platform__releases__version=value)
            & Q(release_from__position__lte=at)
            & (Q(release_until__isnull=True) | Q(release_until__position__gte=at))
        )

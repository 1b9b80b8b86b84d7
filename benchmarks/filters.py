import django_filters

from .models import Run


class RunFilter(django_filters.FilterSet):
    """The run list's filters: the same dimensions the chart page filters on."""

    benchmark = django_filters.CharFilter(field_name="benchmark__slug")
    platform = django_filters.CharFilter(field_name="platform__slug")
    release = django_filters.CharFilter(field_name="release__version")
    environment = django_filters.CharFilter(field_name="environment__fingerprint")
    guest_os = django_filters.CharFilter(field_name="guest_os")
    vcpus = django_filters.NumberFilter(field_name="vm_vcpus")
    submitted_after = django_filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="gte")

    class Meta:
        model = Run
        fields = ["benchmark", "platform", "release", "environment", "status"]

from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from .models import Run


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 time with any offset Python accepts, compared in UTC: PostgreSQL refuses
    offsets beyond ±15:59 (a −18:37 offset was a 500), and a time at the edge of the
    calendar cannot be moved to UTC at all."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise forms.ValidationError("Out of range once converted to UTC.") from error


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class RunFilter(django_filters.FilterSet):
    """The run list's filters: the same dimensions the chart page filters on."""

    benchmark = django_filters.CharFilter(field_name="benchmark__slug")
    platform = django_filters.CharFilter(field_name="platform__slug")
    release = django_filters.CharFilter(field_name="release__version")
    environment = django_filters.CharFilter(field_name="environment__fingerprint")
    guest_os = django_filters.CharFilter(field_name="guest_os")
    vcpus = django_filters.NumberFilter(field_name="vm_vcpus")
    variant = django_filters.CharFilter(
        field_name="variant", help_text='"" or absent: every run; a variant label: its runs.'
    )
    submitted_after = UTCDateTimeFilter(field_name="submitted_at", lookup_expr="gte")

    class Meta:
        model = Run
        fields = ["benchmark", "platform", "release", "environment", "status"]

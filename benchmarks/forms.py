"""The chart pages' URL state (the page and the summary API read the same parameters)."""

from django import forms

from comparisons.forms import MultipleValuesField

from .selectors import ChartFilters


class ChartForm(forms.Form):
    metric = forms.CharField(required=False)
    # `platforms=a,b` in links and the API; repeated `platform=` from the page's form.
    platform = MultipleValuesField(max_length=80)
    platforms = forms.CharField(required=False)
    release = MultipleValuesField(max_length=120)  # "slug@version"
    environment = forms.CharField(required=False)
    guest_os = forms.CharField(required=False)
    vcpus = forms.CharField(required=False)
    variant = forms.CharField(required=False)
    paid = forms.CharField(required=False)

    def query(self) -> ChartFilters:
        self.is_valid()  # every field is optional: an unusable value is ignored, not refused
        data = self.cleaned_data
        vcpus = data.get("vcpus") or ""
        platforms = data.get("platform") or tuple(
            p for p in (data.get("platforms") or "").split(",") if p
        )
        return ChartFilters(
            metric=data.get("metric") or "",
            platforms=tuple(platforms),
            releases=data.get("release", ()),
            environment=data.get("environment") or "",
            guest_os=data.get("guest_os") or "",
            # ASCII digits only: "²" is a digit to str.isdigit() but not to int().
            vcpus=int(vcpus) if vcpus.isascii() and vcpus.isdigit() and len(vcpus) < 7 else None,
            variant=(data.get("variant") or "")[:200],
            independent_only=data.get("paid") == "hide",
        )

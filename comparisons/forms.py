"""Forms for the few pages that take input from readers."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from costs.forms import ESTATE_FIELDS

from . import matrix
from .models import Correction
from .queries import CompareQuery, ScenarioQuery

MIN_NOTE = 10


class CorrectionForm(forms.ModelForm):
    # A honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling bots.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    source_url = forms.URLField(
        label=_("source"),
        max_length=600,
        assume_scheme="https",
        help_text=_("A page that shows what is right."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Correction
        fields = ["proposed_support", "proposed_value", "proposed_releases", "source_url", "note"]
        fields += ["email"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }

    def __init__(self, *args, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["proposed_support"].choices = [("", _("(no change)"))] + [
            c for c in self.fields["proposed_support"].choices if c[0]
        ]
        if claim is None or claim.feature.kind != "number":
            del self.fields["proposed_value"]

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_source_url(self) -> str:
        url = self.cleaned_data["source_url"]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise forms.ValidationError(_("Give a web address (http or https)."))
        try:
            ipaddress.ip_address(parts.hostname or "")
        except ValueError:
            return url
        raise forms.ValidationError(_("Give the page's name, not an IP address."))

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if len(note) < MIN_NOTE:
            raise forms.ValidationError(_("Say in a sentence what is wrong."))
        return note


class MultipleValuesField(forms.Field):
    """A repeated query parameter (category=a&category=b) as a tuple of non-empty strings."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_length: int = 100, **kwargs):
        self.max_length = max_length
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> tuple[str, ...]:
        return tuple(v[: self.max_length] for v in value or () if v)


class CompareForm(forms.Form):
    """The compare page's URL (and its exports' and API's): `platforms=a@1,b`, or the plain
    form's `platform` checkboxes with `release-<slug>` selects, and the matrix filters."""

    platforms = forms.CharField(required=False)
    platform = MultipleValuesField(max_length=80)
    category = MultipleValuesField(max_length=80)
    q = forms.CharField(required=False)
    diff = forms.CharField(required=False)
    hide_unknown = forms.CharField(required=False)

    @property
    def from_plain_form(self) -> bool:
        """Submitted by the page's form without JavaScript: redirect to the canonical URL."""
        return "platform" in self.data

    def query(self) -> CompareQuery:
        self.is_valid()  # every field is optional and clamped: nothing here is refused
        data = self.cleaned_data
        if self.from_plain_form:
            chosen = []
            for slug in data.get("platform", ()):
                version = str(self.data.get(f"release-{slug}", ""))[:40]
                chosen.append(f"{slug}@{version}" if version else slug)
            platforms = ",".join(chosen)
        else:
            platforms = data.get("platforms", "")
        return CompareQuery(
            platforms=platforms,
            filters=matrix.Filters(
                categories=data.get("category", ()),
                query=(data.get("q") or "").strip()[:100],
                differences_only=data.get("diff") == "1",
                hide_unknown=data.get("hide_unknown") == "1",
            ),
        )


class ScenarioWeightsForm(forms.Form):
    """The recommendation page's URL: weights per category (w-<category>, 0 to WEIGHT_MAX),
    the must-have list, the unknown policy, and the estate's calculator inputs. Unreadable
    values are ignored, as a slider out of range is: the scenario's own setting stands."""

    WEIGHT_MAX = 5.0
    MAX_WEIGHTS = 40

    must = MultipleValuesField(max_length=80)
    musts = forms.CharField(required=False)
    unknown = forms.CharField(required=False, max_length=20)
    owned = MultipleValuesField(max_length=40)

    def _weights(self) -> tuple[tuple[str, float], ...]:
        found = []
        for key in list(self.data)[: self.MAX_WEIGHTS * 4]:
            if not key.startswith("w-") or len(key) > 82:
                continue
            try:
                weight = float(str(self.data.get(key)))
            except (TypeError, ValueError):
                continue
            if weight == weight:  # not NaN
                found.append((key[2:], min(max(weight, 0.0), self.WEIGHT_MAX)))
        return tuple(found[: self.MAX_WEIGHTS])

    def query(self) -> ScenarioQuery:
        self.is_valid()
        data = self.cleaned_data
        estate = tuple(
            (name, str(self.data.get(name))[:20])
            for name in (*ESTATE_FIELDS, "vmware")
            if self.data.get(name)
        )
        return ScenarioQuery(
            weights=self._weights(),
            must=data.get("must", ()) if data.get("musts") == "1" else None,
            unknown=data.get("unknown") or "",
            estate=estate,
            owned=data.get("owned", ()),
        )

"""Forms for the few pages that take input from readers."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Correction

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

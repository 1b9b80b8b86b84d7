"""The fact-check page's filters (verdict, platform), kept in the URL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FactCheck


class FactCheckFilterForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), required=False)
    platform = forms.ChoiceField(label=_("Platform"), required=False)

    def __init__(self, data, *, platforms: Iterable[tuple[str, str]]):
        super().__init__(data)
        self.fields["verdict"].choices = [("", _("Any verdict")), *FactCheck.Verdict.choices]
        self.fields["platform"].choices = [("", _("Any platform")), *platforms]


def platforms_concerned(checks: Iterable, names: dict[str, str]) -> list[tuple[str, str]]:
    """(slug, name) of the platforms some fact check concerns, in the names' order."""
    slugs = {c.get("platform") for fc in checks for c in fc.concerns}
    return [(slug, name) for slug, name in names.items() if slug in slugs]


def apply(checks: Sequence, *, verdict: str = "", platform: str = "") -> list:
    return [
        fc
        for fc in checks
        if (not verdict or fc.verdict == verdict)
        and (not platform or any(c.get("platform") == platform for c in fc.concerns))
    ]


def verdict_counts(checks: Iterable) -> dict[str, int]:
    return dict(Counter(fc.verdict for fc in checks))

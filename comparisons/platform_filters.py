"""The platform page's filters (support level, words), kept in the URL; applied to the
category blocks the page's selector returns."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import matrix


class PlatformFilterForm(forms.Form):
    support = forms.ChoiceField(label=_("Support"), required=False)
    q = forms.CharField(label=_("Search features"), required=False, max_length=100)

    def __init__(self, data):
        super().__init__(data)
        self.fields["support"].choices = [
            ("", _("Any support")),
            *((level, matrix.SUPPORT_TEXT[level]) for level in matrix.SUPPORT_TEXT),
        ]


def _keeps(row: dict, support: str, q: str) -> bool:
    if q and not matrix.matches(row["feature"], q):
        return False
    if not support:
        return True
    levels = {entry["cell"].support for entry in row["claims"]} or {"unknown"}
    return support in levels


def apply(blocks: list[dict], *, support: str = "", q: str = "") -> list[dict]:
    """The blocks with only the rows that match; blocks left empty are dropped."""
    if not support and not q:
        return blocks
    kept = [{**b, "rows": [r for r in b["rows"] if _keeps(r, support, q)]} for b in blocks]
    return [b for b in kept if b["rows"]]

"""Translated columns computed in SQL (django-modeltranslation's fields)."""

from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname


def translated(field: str, language: str | None = None) -> Coalesce:
    """`field` in `language` (the active one by default), falling back to English as
    modeltranslation does. In SQL: building model instances instead cost 10 ms for the
    135 features."""
    local = build_localized_fieldname(field, language or get_language() or "en")
    english = build_localized_fieldname(field, "en")
    return Coalesce(NullIf(F(local), Value("")), F(english), output_field=TextField())

"""One validation layer for everything a submission stores or looks up: text, numbers and
flags, typed strictly and checked against the columns they go into.

Limits come from the models themselves (a CharField's max_length, an integer field's
range), so a column change moves the check with it. Each check names the field it refused.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

# The narrowest range every supported database keeps for each integer field type (SQLite
# would store more, PostgreSQL refuses beyond these with an error).
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


class Errors(dict[str, list[str]]):
    """Messages per field, in the API's error shape."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


@dataclass(frozen=True)
class Column:
    kind: type  # str, int or float
    max_length: int | None = None
    low: float | None = None
    high: float | None = None


@functools.cache  # models do not change while a process runs; imports ask ~20 times a run
def column(model: type[models.Model], name: str) -> Column:
    """What a value must be to fit the model's column `name`."""
    field = model._meta.get_field(name)
    internal = field.get_internal_type()
    if internal in INTEGER_RANGES:
        low, high = INTEGER_RANGES[internal]
        return Column(int, low=low, high=high)
    if internal in {"FloatField", "DecimalField"}:
        return Column(float)
    return Column(str, max_length=getattr(field, "max_length", None))


def unstorable(text: str) -> str:
    """Why a database text column cannot hold `text` as it is, or ""."""
    nul = text.find("\x00")
    if nul >= 0:
        return f"contains a NUL character (at position {nul}), which text cannot hold"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"contains an unpaired surrogate (at position {error.start}): not valid Unicode"
    return ""


def clean_text(value: Any, *, field: str, errors: Errors, max_length: int | None) -> str | None:
    """Stripped text that fits the column, or None with the reason in `errors`."""
    if not isinstance(value, str):
        errors.add(field, f"Expected text, got {type(value).__name__}.")
        return None
    problem = unstorable(value)
    if problem:
        errors.add(field, f"Text {problem}.")
        return None
    text: str = value.strip()
    if max_length is not None and len(text) > max_length:
        errors.add(field, f"At most {max_length} characters; got {len(text)}.")
        return None
    return text


def is_number(value: Any) -> bool:
    # bool is an int in Python, but `true` is never a measurement.
    return isinstance(value, int | float) and not isinstance(value, bool)


def finite(value: Any) -> bool:
    """A number that converts to a finite float (a 400-digit int would overflow)."""
    try:
        return is_number(value) and math.isfinite(float(value))
    except OverflowError:
        return False


def clean_positive(value: Any, *, field: str, errors: Errors, col: Column) -> int | float | None:
    """A positive number of the column's kind within its range, or None (reason in errors)."""
    whole = col.kind is int
    ok = finite(value) and value > 0 and (not whole or float(value).is_integer())
    if ok and col.high is not None and value > col.high:
        errors.add(field, f"At most {col.high}; got {value}.")
        return None
    if not ok:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
        errors.add(field, f"Expected a positive {'whole ' if whole else ''}number; got {shown}.")
        return None
    return int(value) if whole else float(value)


def clean_fields(
    data: Any, columns: dict[str, Column], *, where: str, errors: Errors
) -> dict[str, Any]:
    """A JSON object's known fields, each checked against its column; null means absent."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        errors.add(where, "Expected a JSON object.")
        return {}
    clean: dict[str, Any] = {}
    checked: str | int | float | None
    for key, value in data.items():
        col = columns.get(key)
        field = f"{where}.{key}"
        if col is None:
            errors.add(field, f"Unknown field; expected one of {', '.join(sorted(columns))}.")
            continue
        if value is None:
            continue
        if col.kind is str:
            checked = clean_text(value, field=field, errors=errors, max_length=col.max_length)
        else:
            checked = clean_positive(value, field=field, errors=errors, col=col)
        if checked is not None:
            clean[key] = checked
    return clean


def clean_flag(value: Any, *, field: str, errors: Errors) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        errors.add(field, f"Expected true or false, got {value!r}"[:120] + ".")
        return False
    return value


def clean_measurement(
    value: Any, *, field: str, errors: Errors, what: str, ceiling: float | None
) -> float | None:
    """A finite, non-negative number no larger than the metric's physical ceiling."""
    if not finite(value) or value < 0:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
        errors.add(field, f"{what} must be a finite, non-negative number; got {shown}.")
        return None
    if ceiling is not None and value > ceiling:
        errors.add(
            field,
            f"{what} {float(value):g} is above {ceiling:g}, the physical ceiling the benchmark "
            "definition sets for this metric (a unit mistake or a broken run).",
        )
        return None
    return float(value)

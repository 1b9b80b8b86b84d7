"""Numbers as readers expect them: no trailing zeros ("94.4", not "94.400") and thousands
grouped in the active language ("200,000"). Used by templates (|number) and chart hovers."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.utils import formats


def tidy(value, digits: int = 3) -> str:
    """At most `digits` decimals (at least `digits` significant digits below 1), trailing
    zeros dropped, grouped by the active locale's separator."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    places = digits
    if number and abs(number) < 1:
        # 0.000123 keeps its 3 significant digits rather than becoming 0.
        places = min(9, max(digits, -number.adjusted() + digits - 1))
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    text = format(rounded, "f")
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent(fraction: float) -> str:
    """A fraction as a percentage with one decimal: 0.9123 → "91.2%"."""
    return f"{fraction * 100:.1f}%"

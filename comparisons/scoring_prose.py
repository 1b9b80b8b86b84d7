"""The recommendation in words: why a platform is excluded, how stable the winner is, and
the verdict. Pure: the figures come from scoring.py; this module only phrases them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import glossary

if TYPE_CHECKING:
    from .scoring import Excluded, Missing, PlatformScore, Swap

SUPPORT_LABEL = {
    "none": gettext_lazy("not supported"),
    "partial": gettext_lazy("only partly supported"),
    "not-applicable": gettext_lazy("not applicable"),
    "unknown": gettext_lazy("unknown"),
    None: gettext_lazy("no claim"),
}


def must_have_failure(name: str, support: str | None, claim_id: int | None) -> str:
    """A must-have without full support, with its claim when there is one."""
    label = SUPPORT_LABEL.get(support, SUPPORT_LABEL["unknown"])
    if claim_id:
        return _("%(feature)s: %(support)s (claim %(claim)s)") % {
            "feature": name,
            "support": label,
            "claim": claim_id,
        }
    return _("%(feature)s: %(support)s") % {"feature": name, "support": label}


def cost_detail(total: str, years: int, left_out: Sequence[str]) -> str:
    """What an estimated-cost evidence stands for, e.g. "USD 42,760.00 over 3 years"."""
    detail = ngettext("%(total)s over %(years)s year", "%(total)s over %(years)s years", years) % {
        "total": total,
        "years": years,
    }
    if left_out:
        detail += " " + _("(%(currencies)s not compared: no sourced exchange rate)") % {
            "currencies": ", ".join(left_out)
        }
    return detail


def stability_label(kept: float) -> str:
    if kept >= 0.95:
        return _("Stable")
    if kept >= 0.75:
        return _("Fairly stable")
    return _("Fragile")


def _percent(fraction: float) -> str:
    # Floor, so 99.6% kept is not shown as 100%.
    return f"{math.floor(fraction * 100 + 1e-9)}%"


def _change_percent(change: float) -> str:
    # The swap needs at least this change, so "more than" the floored figure is always true.
    if abs(change) < 0.01:
        return _("less than 1%")
    return _("more than %(percent)s") % {"percent": _percent(abs(change))}


def robustness_statement(
    *,
    kept: float,
    trials: int,
    spread: float,
    swap: Swap,
    max_factor: float,
    first: str,
    second: str,
    category_names: Mapping[str, str],
) -> str:
    head = _(
        "%(label)s: %(first)s stays first in %(kept)s of %(trials)s weightings with every "
        "category weight varied within %(spread)s."
    ) % {
        "label": stability_label(kept),
        "first": first,
        "kept": _percent(kept),
        "trials": trials,
        "spread": f"±{spread:.0%}",
    }
    if swap.change is None or swap.category is None:
        tail = _(
            "No change to a single category weight (from removing it to %(factor)s times its "
            "value) lets %(second)s overtake."
        ) % {"factor": f"{max_factor:g}", "second": second}
    else:
        name = category_names.get(swap.category, swap.category)
        amount = _change_percent(swap.change)
        rose = math.copysign(1.0, swap.change) > 0  # keeps -0.0's sign
        template = (
            _("%(second)s would overtake if the weight of %(category)s rose by %(amount)s.")
            if rose
            else _("%(second)s would overtake if the weight of %(category)s fell by %(amount)s.")
        )
        tail = template % {"second": second, "category": name, "amount": amount}
    return glossary.sentences(head, tail)


def verdict(
    *,
    ranked: Sequence[PlatformScore],
    excluded: Sequence[Excluded],
    missing: Missing,
    thin_share: float,
    terms_note: str,
) -> tuple[bool, str]:
    """(too_thin, message): whether the evidence carries a recommendation, said plainly."""
    if not ranked:
        if not excluded:
            return True, _("No platforms to compare.")
        return True, _(
            "No platform meets every must-have (%(count)s excluded); relax a must-have to see a "
            "ranking."
        ) % {"count": len(excluded)}
    best = ranked[0]
    if len(ranked) == 1:
        if excluded:
            text = _("Only %(name)s meets every must-have, so there is nothing to compare it with.")
        else:
            text = _("Only %(name)s was given, so there is nothing to compare it with.")
        return True, text % {"name": best.name}
    if missing.share > thin_share:
        percent = math.ceil(missing.share * 100 - 1e-9)  # rounded up: 30.4% is above the 30% bar
        return True, _(
            "Too little evidence to recommend: %(percent)s%% of the weighted evidence for "
            "%(name)s (%(missing)s of %(weighted)s features) is unknown or has no claim, so the "
            "ranking could change as claims are added."
        ) % {
            "percent": percent,
            "name": best.name,
            "missing": missing.missing,
            "weighted": missing.weighted,
        }
    runner = ranked[1]
    message = _(
        "%(best)s fits this scenario best (score %(score)s; %(runner)s follows with "
        "%(runner_score)s)."
    ) % {
        "best": best.name,
        "score": f"{best.score:.2f}",
        "runner": runner.name,
        "runner_score": f"{runner.score:.2f}",
    }
    return False, glossary.sentences(message, terms_note)


def terms_note(performance_left_out: bool) -> str:
    if performance_left_out:
        return _("No benchmark results for these platforms yet, so performance was left out.")
    return ""

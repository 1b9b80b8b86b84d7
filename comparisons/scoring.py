"""Scenario scoring: rank platforms on weighted, sourced feature evidence, and say how sure we are.

Pure: data in, data out; no Django. The recommend view fills the inputs from the claims (and
from the benchmark summaries for performance).

The score of a platform p (all terms on a 0..1 scale):

    value(f)     = 1 (full), 0.5 (partial), 0 (none); unknown or no claim: dropped ("ignore"),
                   0 ("as-no") or -0.25 ("penalize", worse than a documented "no"); an evidence
                   with a numeric `value` (the estimated cost) is scored at that value
    by_category  = sum(w_f * value(f)) / sum(w_f) over the category's counted features, where
                   w_f = feature_weights.get(f, 1.0) (cost_weight for "estimated-cost") and
                   categories with weight 0 are left out
    coverage     = clamp01(sum(W_c * by_category[c]) / sum(W_c)), W_c = category_weights[c], over
                   the categories p has counted evidence in; so a category weight is its share of
                   the coverage, whatever its number of features
    estimated-cost = 1 - the platform's licence and support cost for the scenario's estate / the
                   highest such cost among the platforms (costs.rules.cost_scores): a feature of
                   the "Cost and licensing" category, so that category's weight (its slider)
                   weighs money, and the robustness analysis varies it like any category
    performance  = the given 0..1 figure relative to bare metal, clamped to 0..1
    score        = (coverage + performance_weight * performance) / (1 + performance_weight)

A term with no data for p counts as 0, except under "ignore", where it leaves p's weighted mean
instead. A term with no data for any ranked platform is left out for all of them (e.g. no
benchmark results yet), so it cannot shift the ranking.

A reason's impact is the feature's share of p's score times (p's value - the mean value of that
feature among the ranked platforms; 0.5 when only one is ranked): what sets p apart from the
field, not what every platform has.

Robustness: winner_kept is the share of `trials` weightings (each category weight times
uniform(0.8, 1.2), seeded) in which the winner stays first; swap_change is the smallest signed
relative change of one category weight (factors 0..10, grid scan then bisection) after which #2
scores strictly above #1. too_thin: fewer than two platforms ranked, or more than 30% of the best
platform's weighted evidence (by weight, as in coverage) unknown or without a claim.

The features scored are those present in `evidence` (the union over platforms): pass an Evidence
for every catalogue feature on every platform, with support=None where there is no claim.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import glossary

SUPPORT_VALUE = {"full": 1.0, "partial": 0.5, "none": 0.0}
UNKNOWN_POLICIES = ("ignore", "as-no", "penalize")
# None: the feature is dropped from the platform's denominator instead of being scored.
UNKNOWN_VALUE: dict[str, float | None] = {"ignore": None, "as-no": 0.0, "penalize": -0.25}
# A feature nobody has documented says nothing about the platform: unless the reader asks for
# "as-no" or "penalize" (a scenario suggests one, the page offers it), it is left out.
DEFAULT_UNKNOWN_POLICY = "ignore"

COST_FEATURE = "estimated-cost"  # the cost evidence the recommend view adds per platform
TOP_REASONS = 5
THIN_SHARE = 0.30  # above this share of unknown/missing weighted evidence, we don't recommend
PERTURBATION = 0.20  # category weights vary by up to ±20% in the stability check
MAX_FACTOR = 10.0  # the swap search scales one category weight between 0 and 10x
GRID_STEPS = 32
BISECTION_STEPS = 60

SUPPORT_LABEL = {
    "none": gettext_lazy("not supported"),
    "partial": gettext_lazy("only partly supported"),
    "unknown": gettext_lazy("unknown"),
    None: gettext_lazy("no claim"),
}


@dataclass(frozen=True)
class Evidence:
    """One feature on one platform (current release), from the claims."""

    feature: str
    feature_name: str
    category: str
    category_name: str
    support: str | None  # "full" | "partial" | "none" | "unknown" | None (no claim)
    claim_id: int | None = None
    source_url: str = ""
    source_title: str = ""
    value: float | None = None  # a 0..1 figure scored instead of the support (estimated cost)
    detail: str = ""  # what the value stands for, in words (e.g. "USD 42,760.00 over 3 years")


@dataclass(frozen=True)
class Scenario:
    """A weighting of the catalogue; see the module docstring for how it is applied.

    cost_weight is the weight of the estimated cost among the "Cost and licensing" features.
    """

    slug: str
    name: str
    category_weights: Mapping[str, float]
    feature_weights: Mapping[str, float]
    must_have: tuple[str, ...] = ()
    unknown_policy: str = "penalize"
    cost_weight: float = 0.0
    performance_weight: float = 0.0

    def __post_init__(self) -> None:
        if self.unknown_policy not in UNKNOWN_POLICIES:
            raise ValueError(f"unknown_policy must be one of {UNKNOWN_POLICIES}")
        weights = [*self.category_weights.values(), *self.feature_weights.values()]
        if min(weights, default=0.0) < 0 or self.cost_weight < 0 or self.performance_weight < 0:
            raise ValueError("weights must be >= 0")


@dataclass(frozen=True)
class Reason:
    feature: str
    feature_name: str
    category: str
    support: str | None
    impact: float  # signed contribution to the score, relative to the ranked platforms' mean
    claim_id: int | None
    source_url: str
    source_title: str
    detail: str = ""


@dataclass(frozen=True)
class PlatformScore:
    platform: str
    name: str
    score: float
    coverage: float
    cost: float | None  # the estimated-cost value (1 = cheapest), None without a known cost
    performance: float | None
    by_category: Mapping[str, float]  # categories p has counted evidence in, clamped to 0..1
    helped: tuple[Reason, ...]
    hurt: tuple[Reason, ...]
    unknown_count: int  # weighted features whose support is unknown or has no claim


@dataclass(frozen=True)
class Excluded:
    platform: str
    name: str
    reasons: tuple[str, ...]
    claims: tuple[int | None, ...] = ()  # the claim behind each reason, when there is one

    @property
    def linked(self) -> tuple[tuple[str, int | None], ...]:
        """(reason, claim id or None) pairs, for pages that link each reason to its claim."""
        claims = self.claims or (None,) * len(self.reasons)
        return tuple(zip(self.reasons, claims, strict=True))


@dataclass(frozen=True)
class Robustness:
    winner_kept: float
    trials: int
    seed: int
    swap_change: float | None  # signed: -0.35 means the weight must drop by 35%
    swap_category: str | None
    statement: str


@dataclass(frozen=True)
class Recommendation:
    scenario: str
    ranked: tuple[PlatformScore, ...]
    excluded: tuple[Excluded, ...]
    robustness: Robustness | None
    too_thin: bool
    message: str


@dataclass(frozen=True)
class _Layout:
    """The scenario's weights laid over the catalogue of features seen in the evidence."""

    features: Mapping[str, Evidence]  # feature -> names and category (first evidence seen)
    categories: Mapping[str, tuple[str, ...]]  # weighted category -> its weighted features
    category_weights: Mapping[str, float]  # weighted categories only
    feature_weights: Mapping[str, float]  # weighted features only, weight inside the category
    category_names: Mapping[str, str]


@dataclass(frozen=True)
class _Parts:
    """What one platform's score is made of, so category weights can change without rescoring."""

    platform: str
    category_coverage: Mapping[str, float]  # raw: may be below 0 under "penalize"
    performance: float | None


@dataclass(frozen=True)
class _Terms:
    performance_weight: float
    drop_missing: bool


def feature_value(evidence: Evidence | None, policy: str) -> float | None:
    if evidence is not None and evidence.value is not None:
        return evidence.value
    support = evidence.support if evidence is not None else None
    if support in SUPPORT_VALUE:
        return SUPPORT_VALUE[support]
    return UNKNOWN_VALUE[policy]


def _is_known(evidence: Evidence | None) -> bool:
    if evidence is None:
        return False
    return evidence.value is not None or evidence.support in SUPPORT_VALUE


def build_layout(scenario: Scenario, evidence: Mapping[str, Mapping[str, Evidence]]) -> _Layout:
    features: dict[str, Evidence] = {}
    for by_feature in evidence.values():
        for slug, item in by_feature.items():
            features.setdefault(slug, item)
    categories: dict[str, list[str]] = {}
    weights: dict[str, float] = {}
    for slug, item in features.items():
        if slug == COST_FEATURE:
            weight = scenario.cost_weight
        else:
            weight = scenario.feature_weights.get(slug, 1.0)
        if scenario.category_weights.get(item.category, 0.0) > 0 and weight > 0:
            categories.setdefault(item.category, []).append(slug)
            weights[slug] = weight
    return _Layout(
        features=features,
        categories={c: tuple(fs) for c, fs in categories.items()},
        category_weights={c: scenario.category_weights[c] for c in categories},
        feature_weights=weights,
        category_names={item.category: item.category_name for item in features.values()},
    )


def must_have_failures(
    scenario: Scenario, layout: _Layout, by_feature: Mapping[str, Evidence]
) -> tuple[str, ...]:
    """Why a platform is excluded: each must-have without full support, with its claim."""
    reasons = []
    for slug in scenario.must_have:
        item = by_feature.get(slug)
        support = item.support if item is not None else None
        if support == "full":
            continue
        known = layout.features.get(slug)
        name = known.feature_name if known is not None else slug
        label = SUPPORT_LABEL.get(support, SUPPORT_LABEL["unknown"])
        if item is not None and item.claim_id:
            reasons.append(
                _("%(feature)s: %(support)s (claim %(claim)s)")
                % {"feature": name, "support": label, "claim": item.claim_id}
            )
        else:
            reasons.append(_("%(feature)s: %(support)s") % {"feature": name, "support": label})
    return tuple(reasons)


def must_have_claims(scenario: Scenario, by_feature: Mapping[str, Evidence]) -> tuple:
    """The claim behind each of must_have_failures' reasons, in the same order (or None)."""
    claims = []
    for slug in scenario.must_have:
        item = by_feature.get(slug)
        if item is not None and item.support == "full":
            continue
        claims.append(item.claim_id if item is not None and item.claim_id else None)
    return tuple(claims)


def category_coverage(
    layout: _Layout, by_feature: Mapping[str, Evidence], policy: str
) -> dict[str, float]:
    coverage = {}
    for category, features in layout.categories.items():
        total = weight_sum = 0.0
        for slug in features:
            value = feature_value(by_feature.get(slug), policy)
            if value is not None:
                total += layout.feature_weights[slug] * value
                weight_sum += layout.feature_weights[slug]
        if weight_sum > 0:  # under "ignore", a category with no known feature has no say
            coverage[category] = total / weight_sum
    return coverage


def platform_parts(
    platform: str,
    scenario: Scenario,
    layout: _Layout,
    by_feature: Mapping[str, Evidence],
    performance: Mapping[str, float] | None,
) -> _Parts:
    figure = (performance or {}).get(platform)
    return _Parts(
        platform=platform,
        category_coverage=category_coverage(layout, by_feature, scenario.unknown_policy),
        performance=None if figure is None else min(1.0, max(0.0, figure)),
    )


def active_terms(scenario: Scenario, parts: Sequence[_Parts]) -> _Terms:
    """Leave out a term nobody has data for: it would only shrink every score alike."""
    has_performance = any(p.performance is not None for p in parts)
    return _Terms(
        performance_weight=scenario.performance_weight if has_performance else 0.0,
        drop_missing=scenario.unknown_policy == "ignore",
    )


def coverage_of(category_cov: Mapping[str, float], weights: Mapping[str, float]) -> float:
    pairs = [(weights[c], v) for c, v in category_cov.items() if weights.get(c, 0.0) > 0]
    weight_sum = sum(w for w, _ in pairs)
    if weight_sum == 0:
        return 0.0
    return min(1.0, max(0.0, sum(w * v for w, v in pairs) / weight_sum))


def _term_pairs(parts: _Parts, terms: _Terms) -> list[tuple[str, float, float]]:
    """The extra terms p is scored on, as (name, weight, value)."""
    pairs = []
    for name, weight, value in (("performance", terms.performance_weight, parts.performance),):
        if weight == 0 or (value is None and terms.drop_missing):
            continue
        pairs.append((name, weight, value or 0.0))
    return pairs


def score_of(parts: _Parts, weights: Mapping[str, float], terms: _Terms) -> float:
    pairs = _term_pairs(parts, terms)
    total = coverage_of(parts.category_coverage, weights) + sum(w * v for _, w, v in pairs)
    return total / (1.0 + sum(w for _, w, _ in pairs))


def rank_key(platform: str, score: float) -> tuple[float, str]:
    return (-score, platform)


def winner(parts: Sequence[_Parts], weights: Mapping[str, float], terms: _Terms) -> str:
    return min(parts, key=lambda p: rank_key(p.platform, score_of(p, weights, terms))).platform


def references(
    layout: _Layout,
    scenario: Scenario,
    evidence: Mapping[str, Mapping[str, Evidence]],
    ranked: Sequence[str],
) -> dict[str, float]:
    """Each feature's mean value among the ranked: the impact baseline."""

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if len(ranked) > 1 and values else 0.5

    coverage_values: dict[str, list[float]] = {slug: [] for slug in layout.feature_weights}
    for platform in ranked:
        by_feature = evidence.get(platform, {})
        for slug, values in coverage_values.items():
            value = feature_value(by_feature.get(slug), scenario.unknown_policy)
            if value is not None:
                values.append(value)
    return {slug: mean(values) for slug, values in coverage_values.items()}


def feature_impacts(
    parts: _Parts,
    scenario: Scenario,
    layout: _Layout,
    by_feature: Mapping[str, Evidence],
    terms: _Terms,
    refs: Mapping[str, float],
) -> dict[str, float]:
    """Each feature's signed share of the score, measured against the field's mean value."""
    pairs = _term_pairs(parts, terms)
    score_den = 1.0 + sum(w for _, w, _ in pairs)
    coverage_den = sum(layout.category_weights[c] for c in parts.category_coverage)
    impacts: dict[str, float] = {}
    for category in parts.category_coverage:
        values = {
            slug: value
            for slug in layout.categories[category]
            if (value := feature_value(by_feature.get(slug), scenario.unknown_policy)) is not None
        }
        feature_den = sum(layout.feature_weights[slug] for slug in values)
        share = layout.category_weights[category] / coverage_den / score_den
        for slug, value in values.items():
            weight = share * layout.feature_weights[slug] / feature_den
            impacts[slug] = weight * (value - refs[slug])
    return impacts


def make_reason(slug: str, impact: float, layout: _Layout, item: Evidence | None) -> Reason:
    known = item or layout.features.get(slug)
    return Reason(
        feature=slug,
        feature_name=known.feature_name if known else slug,
        category=known.category if known else "",
        support=item.support if item else None,
        impact=impact,
        claim_id=item.claim_id if item else None,
        source_url=item.source_url if item else "",
        source_title=item.source_title if item else "",
        detail=item.detail if item else "",
    )


def top_reasons(
    impacts: Mapping[str, float], layout: _Layout, by_feature: Mapping[str, Evidence]
) -> tuple[tuple[Reason, ...], tuple[Reason, ...]]:
    """(helped, hurt): the largest positive and negative impacts, biggest first."""
    eps = 1e-12  # features level with the field are neither
    helped = sorted((-i, s) for s, i in impacts.items() if i > eps)[:TOP_REASONS]
    hurt = sorted((i, s) for s, i in impacts.items() if i < -eps)[:TOP_REASONS]
    return (
        tuple(make_reason(s, -i, layout, by_feature.get(s)) for i, s in helped),
        tuple(make_reason(s, i, layout, by_feature.get(s)) for i, s in hurt),
    )


def missing_share(layout: _Layout, by_feature: Mapping[str, Evidence]) -> tuple[float, int, int]:
    """(share of the scenario's feature weight with unknown or no evidence, missing, weighted)."""
    category_sum = sum(layout.category_weights.values())
    share, missing, weighted = 0.0, 0, 0
    for category, features in layout.categories.items():
        feature_sum = sum(layout.feature_weights[s] for s in features)
        for slug in features:
            weighted += 1
            if not _is_known(by_feature.get(slug)):
                missing += 1
                share += (layout.category_weights[category] / category_sum) * (
                    layout.feature_weights[slug] / feature_sum
                )
    return share, missing, weighted


def platform_score(
    parts: _Parts,
    name: str,
    scenario: Scenario,
    layout: _Layout,
    by_feature: Mapping[str, Evidence],
    terms: _Terms,
    refs: Mapping[str, float],
) -> PlatformScore:
    helped, hurt = top_reasons(
        feature_impacts(parts, scenario, layout, by_feature, terms, refs), layout, by_feature
    )
    return PlatformScore(
        platform=parts.platform,
        name=name,
        score=score_of(parts, layout.category_weights, terms),
        coverage=coverage_of(parts.category_coverage, layout.category_weights),
        cost=cost.value if (cost := by_feature.get(COST_FEATURE)) is not None else None,
        performance=parts.performance,
        by_category={c: min(1.0, max(0.0, v)) for c, v in parts.category_coverage.items()},
        helped=helped,
        hurt=hurt,
        unknown_count=missing_share(layout, by_feature)[1],
    )


def perturbed(weights: Mapping[str, float], rng: random.Random) -> dict[str, float]:
    # Sorted so the draws do not depend on the order the weights were given in.
    return {
        c: weights[c] * rng.uniform(1 - PERTURBATION, 1 + PERTURBATION) for c in sorted(weights)
    }


def winner_kept(
    parts: Sequence[_Parts], weights: Mapping[str, float], terms: _Terms, trials: int, seed: int
) -> float:
    """Share of randomly perturbed category weightings in which the winner stays first."""
    if trials <= 0:
        return 1.0
    first = winner(parts, weights, terms)
    rng = random.Random(seed)
    kept = sum(winner(parts, perturbed(weights, rng), terms) == first for _trial in range(trials))
    return kept / trials


def _overtakes(first: _Parts, second: _Parts, weights: Mapping[str, float], terms: _Terms) -> bool:
    # Strictly ahead: an exact tie (e.g. both at 0 once a sole category is removed) is no swap.
    return score_of(second, weights, terms) > score_of(first, weights, terms)


def _bisect(test: Callable[[float], bool], good: float, bad: float) -> float:
    """The factor nearest `good` at which `test` turns true, between good (false) and bad."""
    for _step in range(BISECTION_STEPS):
        middle = (good + bad) / 2
        if test(middle):
            bad = middle
        else:
            good = middle
    return bad


def crossing_factor(
    first: _Parts,
    second: _Parts,
    weights: Mapping[str, float],
    terms: _Terms,
    category: str,
    factors: Sequence[float],
) -> float | None:
    """The factor on `category`'s weight, nearest 1 along `factors`, at which #2 overtakes #1."""

    def swapped(factor: float) -> bool:
        scaled = {**weights, category: weights[category] * factor}
        return _overtakes(first, second, scaled, terms)

    previous = 1.0
    for factor in factors:  # a coarse scan first: the score difference may cross more than once
        if swapped(factor):
            return _bisect(swapped, previous, factor)
        previous = factor
    return None


def swap_search(
    first: _Parts, second: _Parts, weights: Mapping[str, float], terms: _Terms
) -> tuple[float | None, str | None]:
    """The smallest single-category relative weight change (signed) that puts #2 first."""
    down = [1 - i / GRID_STEPS for i in range(1, GRID_STEPS + 1)]
    up = [MAX_FACTOR ** (i / GRID_STEPS) for i in range(1, GRID_STEPS + 1)]
    best: tuple[float | None, str | None] = (None, None)
    for category in sorted(weights):
        for factors in (down, up):
            factor = crossing_factor(first, second, weights, terms, category, factors)
            if factor is None:
                continue
            change = round(factor - 1, 6)  # the bisection is finer than anyone needs to read
            if best[0] is None or abs(change) < abs(best[0]):
                best = (change, category)
    return best


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
    kept: float,
    trials: int,
    swap: tuple[float | None, str | None],
    first: str,
    second: str,
    category_names: Mapping[str, str],
) -> str:
    spread = f"±{PERTURBATION:.0%}"
    head = _(
        "%(label)s: %(first)s stays first in %(kept)s of %(trials)s weightings with every "
        "category weight varied within %(spread)s."
    ) % {
        "label": stability_label(kept),
        "first": first,
        "kept": _percent(kept),
        "trials": trials,
        "spread": spread,
    }
    change, category = swap
    if change is None or category is None:
        tail = _(
            "No change to a single category weight (from removing it to %(factor)s times its "
            "value) lets %(second)s overtake."
        ) % {"factor": f"{MAX_FACTOR:g}", "second": second}
    else:
        name = category_names.get(category, category)
        amount = _change_percent(change)
        rose = math.copysign(1.0, change) > 0  # keeps -0.0's sign
        template = (
            _("%(second)s would overtake if the weight of %(category)s rose by %(amount)s.")
            if rose
            else _("%(second)s would overtake if the weight of %(category)s fell by %(amount)s.")
        )
        tail = template % {"second": second, "category": name, "amount": amount}
    return glossary.sentences(head, tail)


def robustness(
    ranked: Sequence[_Parts],
    names: Mapping[str, str],
    layout: _Layout,
    terms: _Terms,
    trials: int,
    seed: int,
) -> Robustness:
    weights = layout.category_weights
    kept = winner_kept(ranked, weights, terms, trials, seed)
    swap = swap_search(ranked[0], ranked[1], weights, terms)
    first, second = names[ranked[0].platform], names[ranked[1].platform]
    return Robustness(
        winner_kept=kept,
        trials=trials,
        seed=seed,
        swap_change=swap[0],
        swap_category=swap[1],
        statement=robustness_statement(kept, trials, swap, first, second, layout.category_names),
    )


def verdict(
    ranked: Sequence[PlatformScore],
    excluded: Sequence[Excluded],
    share: float,
    counts: tuple[int, int],
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
    if share > THIN_SHARE:
        percent = math.ceil(share * 100 - 1e-9)  # rounded up: 30.4% is above the 30% bar
        return True, _(
            "Too little evidence to recommend: %(percent)s%% of the weighted evidence for "
            "%(name)s (%(missing)s of %(weighted)s features) is unknown or has no claim, so the "
            "ranking could change as claims are added."
        ) % {"percent": percent, "name": best.name, "missing": counts[0], "weighted": counts[1]}
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


def _terms_note(scenario: Scenario, terms: _Terms) -> str:
    if scenario.performance_weight > 0 and terms.performance_weight == 0:
        return _("No benchmark results for these platforms yet, so performance was left out.")
    return ""


def recommend(
    scenario: Scenario,
    platforms: Mapping[str, str],
    evidence: Mapping[str, Mapping[str, Evidence]],
    performance: Mapping[str, float] | None = None,
    *,
    trials: int = 500,
    seed: int = 20261126,
) -> Recommendation:
    """Rank `platforms` for `scenario`; exclude those failing a must-have; test the winner."""
    layout = build_layout(scenario, evidence)
    excluded, candidates = [], []
    for slug, name in platforms.items():
        failures = must_have_failures(scenario, layout, evidence.get(slug, {}))
        if failures:
            claims = must_have_claims(scenario, evidence.get(slug, {}))
            excluded.append(Excluded(slug, name, failures, claims))
        else:
            candidates.append(
                platform_parts(slug, scenario, layout, evidence.get(slug, {}), performance)
            )
    terms = active_terms(scenario, candidates)
    ordered = sorted(
        candidates,
        key=lambda p: rank_key(p.platform, score_of(p, layout.category_weights, terms)),
    )
    slugs = [p.platform for p in ordered]
    refs = references(layout, scenario, evidence, slugs)
    ranked = tuple(
        platform_score(
            p, platforms[p.platform], scenario, layout, evidence.get(p.platform, {}), terms, refs
        )
        for p in ordered
    )
    share, missing, weighted = (
        missing_share(layout, evidence.get(slugs[0], {})) if slugs else (0.0, 0, 0)
    )
    too_thin, message = verdict(
        ranked, excluded, share, (missing, weighted), _terms_note(scenario, terms)
    )
    return Recommendation(
        scenario=scenario.slug,
        ranked=ranked,
        excluded=tuple(excluded),
        robustness=(
            robustness(ordered, platforms, layout, terms, trials, seed)
            if len(ordered) >= 2
            else None
        ),
        too_thin=too_thin,
        message=message,
    )

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

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from . import scoring_prose

# "No documented limit" meets any need a number feature expresses; "not applicable" is known
# but not scored (dropped from the platform's denominator, never penalized as unknown).
SUPPORT_VALUE = {"full": 1.0, "partial": 0.5, "none": 0.0, "no-limit": 1.0}
NOT_APPLICABLE = "not-applicable"
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
class Swap:
    """The smallest single-category weight change that puts #2 first, if any."""

    change: float | None  # signed relative change: -0.35 means the weight drops by 35%
    category: str | None


@dataclass(frozen=True)
class Missing:
    """How much of the scenario's weighted evidence a platform lacks (unknown or no claim)."""

    share: float  # of the feature weight, as in coverage
    missing: int
    weighted: int


NOTHING_MISSING = Missing(0.0, 0, 0)


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
    if support == NOT_APPLICABLE:
        return None
    return UNKNOWN_VALUE[policy]


def _is_known(evidence: Evidence | None) -> bool:
    if evidence is None:
        return False
    return (
        evidence.value is not None
        or evidence.support in SUPPORT_VALUE
        or evidence.support == NOT_APPLICABLE
    )


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


def coverage_of(category_cov: Mapping[str, float], weights: Mapping[str, float]) -> float:
    pairs = [(weights[c], v) for c, v in category_cov.items() if weights.get(c, 0.0) > 0]
    weight_sum = sum(w for w, _ in pairs)
    if weight_sum == 0:
        return 0.0
    return min(1.0, max(0.0, sum(w * v for w, v in pairs) / weight_sum))


def rank_key(platform: str, score: float) -> tuple[float, str]:
    return (-score, platform)


@dataclass(frozen=True)
class Scorer:
    """A scenario laid over the evidence: scores any platform's parts under any category
    weights (the robustness analysis varies them), and says why."""

    scenario: Scenario
    layout: _Layout
    evidence: Mapping[str, Mapping[str, Evidence]]
    terms: _Terms = _Terms(performance_weight=0.0, drop_missing=False)

    @classmethod
    def build(cls, scenario: Scenario, evidence: Mapping[str, Mapping[str, Evidence]]) -> Scorer:
        return cls(scenario=scenario, layout=build_layout(scenario, evidence), evidence=evidence)

    def of(self, platform: str) -> Mapping[str, Evidence]:
        return self.evidence.get(platform, {})

    def value(self, platform: str, feature: str) -> float | None:
        return feature_value(self.of(platform).get(feature), self.scenario.unknown_policy)

    def must_have_claims(self, platform: str) -> tuple[int | None, ...]:
        """The claim behind each of must_have_failures' reasons, in the same order (or None)."""
        claims = []
        for slug in self.scenario.must_have:
            item = self.of(platform).get(slug)
            if item is not None and item.support in ("full", "no-limit"):
                continue
            claims.append(item.claim_id if item is not None and item.claim_id else None)
        return tuple(claims)

    def must_have_failures(self, platform: str) -> tuple[str, ...]:
        """Why a platform is excluded: each must-have without full support, with its claim."""
        reasons = []
        for slug in self.scenario.must_have:
            item = self.of(platform).get(slug)
            if item is not None and item.support in ("full", "no-limit"):
                continue
            known = self.layout.features.get(slug)
            reasons.append(
                scoring_prose.must_have_failure(
                    known.feature_name if known is not None else slug,
                    item.support if item is not None else None,
                    item.claim_id if item is not None else None,
                )
            )
        return tuple(reasons)

    def category_coverage(self, platform: str) -> dict[str, float]:
        coverage = {}
        for category, features in self.layout.categories.items():
            total = weight_sum = 0.0
            for slug in features:
                value = self.value(platform, slug)
                if value is not None:
                    total += self.layout.feature_weights[slug] * value
                    weight_sum += self.layout.feature_weights[slug]
            if weight_sum > 0:  # under "ignore", a category with no known feature has no say
                coverage[category] = total / weight_sum
        return coverage

    def parts(self, platform: str, performance: Mapping[str, float] | None) -> _Parts:
        figure = (performance or {}).get(platform)
        return _Parts(
            platform=platform,
            category_coverage=self.category_coverage(platform),
            performance=None if figure is None else min(1.0, max(0.0, figure)),
        )

    def with_terms(self, candidates: Sequence[_Parts]) -> Scorer:
        """Leave out a term nobody has data for: it would only shrink every score alike."""
        has_performance = any(p.performance is not None for p in candidates)
        terms = _Terms(
            performance_weight=self.scenario.performance_weight if has_performance else 0.0,
            drop_missing=self.scenario.unknown_policy == "ignore",
        )
        return Scorer(self.scenario, self.layout, self.evidence, terms)

    def _term_pairs(self, parts: _Parts) -> list[tuple[str, float, float]]:
        """The extra terms p is scored on, as (name, weight, value)."""
        pairs = []
        for name, weight, value in (
            ("performance", self.terms.performance_weight, parts.performance),
        ):
            if weight == 0 or (value is None and self.terms.drop_missing):
                continue
            pairs.append((name, weight, value or 0.0))
        return pairs

    def score(self, parts: _Parts, weights: Mapping[str, float] | None = None) -> float:
        """p's score under the given category weights (the scenario's by default)."""
        weights = self.layout.category_weights if weights is None else weights
        pairs = self._term_pairs(parts)
        total = coverage_of(parts.category_coverage, weights) + sum(w * v for _, w, v in pairs)
        return total / (1.0 + sum(w for _, w, _ in pairs))

    def ranked(self, candidates: Sequence[_Parts]) -> list[_Parts]:
        return sorted(candidates, key=lambda p: rank_key(p.platform, self.score(p)))

    def winner(self, candidates: Sequence[_Parts], weights: Mapping[str, float]) -> str:
        return min(candidates, key=lambda p: rank_key(p.platform, self.score(p, weights))).platform

    def references(self, ranked: Sequence[str]) -> dict[str, float]:
        """Each feature's mean value among the ranked: the impact baseline."""

        def mean(values: list[float]) -> float:
            return sum(values) / len(values) if len(ranked) > 1 and values else 0.5

        values: dict[str, list[float]] = {slug: [] for slug in self.layout.feature_weights}
        for platform in ranked:
            for slug, found in values.items():
                value = self.value(platform, slug)
                if value is not None:
                    found.append(value)
        return {slug: mean(found) for slug, found in values.items()}

    def impacts(self, parts: _Parts, references: Mapping[str, float]) -> dict[str, float]:
        """Each feature's signed share of the score, measured against the field's mean value."""
        layout = self.layout
        score_den = 1.0 + sum(w for _, w, _ in self._term_pairs(parts))
        coverage_den = sum(layout.category_weights[c] for c in parts.category_coverage)
        impacts: dict[str, float] = {}
        for category in parts.category_coverage:
            values = {
                slug: value
                for slug in layout.categories[category]
                if (value := self.value(parts.platform, slug)) is not None
            }
            feature_den = sum(layout.feature_weights[slug] for slug in values)
            share = layout.category_weights[category] / coverage_den / score_den
            for slug, value in values.items():
                weight = share * layout.feature_weights[slug] / feature_den
                impacts[slug] = weight * (value - references[slug])
        return impacts

    def reason(self, platform: str, slug: str, impact: float) -> Reason:
        item = self.of(platform).get(slug)
        known = item or self.layout.features.get(slug)
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
        self, platform: str, impacts: Mapping[str, float]
    ) -> tuple[tuple[Reason, ...], tuple[Reason, ...]]:
        """(helped, hurt): the largest positive and negative impacts, biggest first."""
        eps = 1e-12  # features level with the field are neither
        helped = sorted((-i, s) for s, i in impacts.items() if i > eps)[:TOP_REASONS]
        hurt = sorted((i, s) for s, i in impacts.items() if i < -eps)[:TOP_REASONS]
        return (
            tuple(self.reason(platform, s, -i) for i, s in helped),
            tuple(self.reason(platform, s, i) for i, s in hurt),
        )

    def missing(self, platform: str) -> Missing:
        """The share of the scenario's feature weight with unknown or no evidence for p."""
        layout = self.layout
        category_sum = sum(layout.category_weights.values())
        share, missing, weighted = 0.0, 0, 0
        for category, features in layout.categories.items():
            feature_sum = sum(layout.feature_weights[s] for s in features)
            for slug in features:
                weighted += 1
                if not _is_known(self.of(platform).get(slug)):
                    missing += 1
                    share += (layout.category_weights[category] / category_sum) * (
                        layout.feature_weights[slug] / feature_sum
                    )
        return Missing(share, missing, weighted)

    def platform_score(
        self, parts: _Parts, name: str, references: Mapping[str, float]
    ) -> PlatformScore:
        helped, hurt = self.top_reasons(parts.platform, self.impacts(parts, references))
        cost = self.of(parts.platform).get(COST_FEATURE)
        return PlatformScore(
            platform=parts.platform,
            name=name,
            score=self.score(parts),
            coverage=coverage_of(parts.category_coverage, self.layout.category_weights),
            cost=cost.value if cost is not None else None,
            performance=parts.performance,
            by_category={c: min(1.0, max(0.0, v)) for c, v in parts.category_coverage.items()},
            helped=helped,
            hurt=hurt,
            unknown_count=self.missing(parts.platform).missing,
        )

    def performance_left_out(self) -> bool:
        return self.scenario.performance_weight > 0 and self.terms.performance_weight == 0


def perturbed(weights: Mapping[str, float], rng: random.Random) -> dict[str, float]:
    # Sorted so the draws do not depend on the order the weights were given in.
    return {
        c: weights[c] * rng.uniform(1 - PERTURBATION, 1 + PERTURBATION) for c in sorted(weights)
    }


def winner_kept(scorer: Scorer, ranked: Sequence[_Parts], *, trials: int, seed: int) -> float:
    """Share of randomly perturbed category weightings in which the winner stays first."""
    if trials <= 0:
        return 1.0
    weights = scorer.layout.category_weights
    first = scorer.winner(ranked, weights)
    rng = random.Random(seed)
    kept = sum(scorer.winner(ranked, perturbed(weights, rng)) == first for _trial in range(trials))
    return kept / trials


def _bisect(test: Callable[[float], bool], good: float, bad: float) -> float:
    """The factor nearest `good` at which `test` turns true, between good (false) and bad."""
    for _step in range(BISECTION_STEPS):
        middle = (good + bad) / 2
        if test(middle):
            bad = middle
        else:
            good = middle
    return bad


@dataclass(frozen=True)
class _Duel:
    """#1 against #2: which single category weight change lets #2 overtake."""

    scorer: Scorer
    first: _Parts
    second: _Parts

    def overtaken(self, category: str, factor: float) -> bool:
        # Strictly ahead: an exact tie (e.g. both at 0 once a sole category is removed) is
        # no swap.
        weights = self.scorer.layout.category_weights
        scaled = {**weights, category: weights[category] * factor}
        return self.scorer.score(self.second, scaled) > self.scorer.score(self.first, scaled)

    def crossing_factor(self, category: str, factors: Sequence[float]) -> float | None:
        """The factor on `category`'s weight, nearest 1 along `factors`, at which #2 overtakes."""

        def swapped(factor: float) -> bool:
            return self.overtaken(category, factor)

        previous = 1.0
        for factor in factors:  # a coarse scan first: the score difference may cross more than once
            if swapped(factor):
                return _bisect(swapped, previous, factor)
            previous = factor
        return None

    def swap(self) -> Swap:
        """The smallest single-category relative weight change (signed) that puts #2 first."""
        down = [1 - i / GRID_STEPS for i in range(1, GRID_STEPS + 1)]
        up = [MAX_FACTOR ** (i / GRID_STEPS) for i in range(1, GRID_STEPS + 1)]
        best = Swap(None, None)
        for category in sorted(self.scorer.layout.category_weights):
            for factors in (down, up):
                factor = self.crossing_factor(category, factors)
                if factor is None:
                    continue
                change = round(factor - 1, 6)  # the bisection is finer than anyone needs to read
                if best.change is None or abs(change) < abs(best.change):
                    best = Swap(change, category)
        return best


def robustness(
    scorer: Scorer, ranked: Sequence[_Parts], names: Mapping[str, str], *, trials: int, seed: int
) -> Robustness:
    kept = winner_kept(scorer, ranked, trials=trials, seed=seed)
    swap = _Duel(scorer, ranked[0], ranked[1]).swap()
    return Robustness(
        winner_kept=kept,
        trials=trials,
        seed=seed,
        swap_change=swap.change,
        swap_category=swap.category,
        statement=scoring_prose.robustness_statement(
            kept=kept,
            trials=trials,
            spread=PERTURBATION,
            swap=swap,
            max_factor=MAX_FACTOR,
            first=names[ranked[0].platform],
            second=names[ranked[1].platform],
            category_names=scorer.layout.category_names,
        ),
    )


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
    scorer = Scorer.build(scenario, evidence)
    excluded, candidates = [], []
    for slug, name in platforms.items():
        failures = scorer.must_have_failures(slug)
        if failures:
            excluded.append(Excluded(slug, name, failures, scorer.must_have_claims(slug)))
        else:
            candidates.append(scorer.parts(slug, performance))
    scorer = scorer.with_terms(candidates)
    ordered = scorer.ranked(candidates)
    references = scorer.references([p.platform for p in ordered])
    ranked = tuple(scorer.platform_score(p, platforms[p.platform], references) for p in ordered)
    too_thin, message = scoring_prose.verdict(
        ranked=ranked,
        excluded=excluded,
        missing=scorer.missing(ordered[0].platform) if ordered else NOTHING_MISSING,
        thin_share=THIN_SHARE,
        terms_note=scoring_prose.terms_note(scorer.performance_left_out()),
    )
    return Recommendation(
        scenario=scenario.slug,
        ranked=ranked,
        excluded=tuple(excluded),
        robustness=(
            robustness(scorer, ordered, platforms, trials=trials, seed=seed)
            if len(ordered) >= 2
            else None
        ),
        too_thin=too_thin,
        message=message,
    )

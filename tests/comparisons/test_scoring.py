"""Scenario scoring on small hand-made catalogues whose answers are worked out by hand."""

from collections.abc import Mapping

import pytest

from comparisons.scoring import COST_FEATURE, Evidence, Scenario, recommend

CATALOGUE = {
    # feature -> (name, category, category name)
    "a1": ("Alpha one", "a", "Category A"),
    "a2": ("Alpha two", "a", "Category A"),
    "a3": ("Alpha three", "a", "Category A"),
    "a4": ("Alpha four", "a", "Category A"),
    "b1": ("Beta one", "b", "Category B"),
    "b2": ("Beta two", "b", "Category B"),
    "c1": ("Gamma one", "c", "Category C"),
    "live-migration": ("Live migration", "mobility", "Mobility"),
    "free-edition": ("Free edition", "licensing", "Cost and licensing"),
    "open-source": ("Open-source licence", "licensing", "Cost and licensing"),
}


def evidence_for(supports: Mapping[str, str | None], claim_ids=None) -> dict[str, Evidence]:
    """Evidence for every catalogue feature; those not in `supports` have no claim."""
    claim_ids = claim_ids or {}
    result = {}
    for slug, (name, category, category_name) in CATALOGUE.items():
        support = supports.get(slug)
        result[slug] = Evidence(
            feature=slug,
            feature_name=name,
            category=category,
            category_name=category_name,
            support=support,
            claim_id=claim_ids.get(slug),
            source_url=f"https://example.org/{slug}" if support else "",
            source_title=f"Source for {slug}" if support else "",
        )
    return result


def scenario(**overrides) -> Scenario:
    fields = {
        "slug": "test",
        "name": "Test",
        "category_weights": {"a": 1.0},
        "feature_weights": {},
        "unknown_policy": "as-no",
    }
    return Scenario(**{**fields, **overrides})


def run(scn: Scenario, supports: Mapping[str, Mapping[str, str | None]], **kwargs):
    platforms = {slug: slug.upper() for slug in supports}
    evidence = {slug: evidence_for(s) for slug, s in supports.items()}
    return recommend(scn, platforms, evidence, **kwargs)


def scores(rec) -> dict[str, float]:
    return {p.platform: p.score for p in rec.ranked}


ALL_FULL = {slug: "full" for slug in CATALOGUE}


def test_weighted_coverage_matches_the_hand_computation():
    scn = scenario(category_weights={"a": 2.0, "b": 1.0}, feature_weights={"a1": 3.0})
    # a: (3*1 + 1*0 + 1*0 + 1*0.5) / 6 = 0.5833; b: (1*0.5 + 1*1) / 2 = 0.75
    supports = {"a1": "full", "a2": "none", "a3": "none", "a4": "partial", "b1": "partial"}
    supports |= {"b2": "full"}
    rec = run(scn, {"p": supports, "q": ALL_FULL})

    p = next(s for s in rec.ranked if s.platform == "p")
    assert p.by_category == pytest.approx({"a": 3.5 / 6, "b": 0.75})
    assert p.coverage == pytest.approx((2 * 3.5 / 6 + 1 * 0.75) / 3)
    assert p.score == pytest.approx(p.coverage)


def test_zero_weighted_categories_and_features_are_left_out():
    scn = scenario(
        category_weights={"a": 1.0, "b": 0.0},
        feature_weights={"a2": 0.0, "a3": 0.0, "a4": 0.0, "b1": 5.0},
    )
    rec = run(scn, {"p": {"a1": "full", "b1": "none", "b2": "none"}, "q": ALL_FULL})

    p = next(s for s in rec.ranked if s.platform == "p")
    assert p.by_category == {"a": 1.0}
    assert p.score == 1.0
    assert p.unknown_count == 0


def test_must_have_excludes_with_the_reason_and_claim():
    scn = scenario(must_have=("live-migration",))
    platforms = {"none": "None", "unknown": "Unknown", "missing": "Missing", "part": "Partial"}
    platforms |= {"ok": "OK", "ok2": "OK 2"}
    evidence = {
        "none": evidence_for({"live-migration": "none"}, {"live-migration": 12}),
        "unknown": evidence_for({"live-migration": "unknown"}, {"live-migration": 13}),
        "missing": evidence_for({}),
        "part": evidence_for({"live-migration": "partial"}, {"live-migration": 14}),
        "ok": evidence_for({"live-migration": "full"}),
        "ok2": evidence_for({"live-migration": "full"}),
    }
    rec = recommend(scn, platforms, evidence)

    assert [p.platform for p in rec.ranked] == ["ok", "ok2"]
    assert {e.platform: e.reasons for e in rec.excluded} == {
        "none": ("Live migration: not supported (claim 12)",),
        "unknown": ("Live migration: unknown (claim 13)",),
        "missing": ("Live migration: no claim",),
        "part": ("Live migration: only partly supported (claim 14)",),
    }
    assert [e.name for e in rec.excluded] == ["None", "Unknown", "Missing", "Partial"]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("ignore", 1.0),  # a2 leaves the denominator: 1/1
        ("as-no", 0.5),  # (1 + 0) / 2
        ("penalize", 0.375),  # (1 - 0.25) / 2
    ],
)
def test_unknown_policy_changes_the_score(policy, expected):
    scn = scenario(unknown_policy=policy, feature_weights={"a3": 0.0, "a4": 0.0})
    rec = run(scn, {"p": {"a1": "full", "a2": "unknown"}, "q": ALL_FULL})

    p = next(s for s in rec.ranked if s.platform == "p")
    assert p.score == pytest.approx(expected)
    assert p.unknown_count == 1


def test_penalize_ranks_unknown_below_a_documented_no():
    scn = scenario(unknown_policy="penalize", feature_weights={"a3": 0.0, "a4": 0.0})
    rec = run(scn, {"unknown": {"a1": "full"}, "no": {"a1": "full", "a2": "none"}})

    assert [p.platform for p in rec.ranked] == ["no", "unknown"]


def test_penalized_coverage_is_clamped_at_zero():
    scn = scenario(unknown_policy="penalize")
    rec = run(scn, {"p": {}, "q": ALL_FULL})

    p = next(s for s in rec.ranked if s.platform == "p")
    assert p.by_category == {"a": 0.0}
    assert p.score == 0.0
    assert p.unknown_count == 4


def test_ties_are_broken_by_platform_slug_whatever_the_input_order():
    scn = scenario()
    same = {"a1": "full", "a2": "partial"}
    forward = run(scn, {"alpha": same, "zeta": same, "mid": same})
    backward = run(scn, {"zeta": same, "mid": same, "alpha": same})

    assert [p.platform for p in forward.ranked] == ["alpha", "mid", "zeta"]
    assert [p.platform for p in backward.ranked] == ["alpha", "mid", "zeta"]


def with_cost(supports: Mapping[str, str | None], value: float | None) -> dict[str, Evidence]:
    """Evidence as evidence_for, plus the estimated cost the recommend view adds (0..1)."""
    result = evidence_for(supports)
    result[COST_FEATURE] = Evidence(
        feature=COST_FEATURE,
        feature_name="Estimated licence and support cost",
        category="licensing",
        category_name="Cost and licensing",
        support="full" if value is not None else "unknown",
        source_url="/cost/?hosts=1",
        source_title="line items",
        value=value,
        detail="USD 1.00 over 3 years",
    )
    return result


def run_costed(
    scn: Scenario, platforms: Mapping[str, tuple[Mapping[str, str | None], float | None]]
):
    evidence = {slug: with_cost(s, v) for slug, (s, v) in platforms.items()}
    return recommend(scn, {slug: slug.upper() for slug in platforms}, evidence)


# The old hidden cost term (mean support of free-edition and open-source, added outside the
# coverage) is gone: cost is the estimated cost of the scenario's estate, a feature of the
# "Cost and licensing" category, weighted by cost_weight inside it and by the category weight.
FREE_OFF = {"free-edition": 0.0, "open-source": 0.0}


def test_estimated_cost_is_scored_at_its_value_inside_the_licensing_category():
    scn = scenario(
        category_weights={"a": 1.0, "licensing": 1.0}, cost_weight=2.0, feature_weights=FREE_OFF
    )
    all_a = {"a1": "full", "a2": "full", "a3": "full", "a4": "full"}
    rec = run_costed(scn, {"cheap": (all_a, 1.0), "dear": (all_a, 0.25)})

    got = {p.platform: p for p in rec.ranked}
    # a = 1 for both; licensing = the cost value (its only weighted feature).
    assert got["cheap"].by_category == pytest.approx({"a": 1.0, "licensing": 1.0})
    assert got["dear"].score == pytest.approx((1.0 + 0.25) / 2)
    assert got["cheap"].cost == 1.0
    assert got["dear"].cost == 0.25
    helped = got["cheap"].helped[0]
    assert helped.feature == COST_FEATURE
    assert helped.detail == "USD 1.00 over 3 years"
    assert helped.source_url == "/cost/?hosts=1"


def test_estimated_cost_shares_its_category_with_the_other_licensing_features():
    scn = scenario(category_weights={"licensing": 1.0}, cost_weight=2.0)
    rec = run_costed(scn, {"p": ({"free-edition": "full", "open-source": "none"}, 0.5)})
    # (2 * 0.5 + 1 * 1 + 1 * 0) / 4
    assert rec.ranked[0].by_category["licensing"] == pytest.approx(0.5)


def test_cost_weight_zero_or_licensing_weight_zero_leaves_cost_out():
    all_a = {"a1": "full", "a2": "full", "a3": "full", "a4": "full"}
    field = {"cheap": (all_a, 1.0), "dear": (all_a, 0.0)}
    no_category = run_costed(scenario(cost_weight=2.0), field)
    no_weight = run_costed(
        scenario(category_weights={"a": 1.0, "licensing": 1.0}, feature_weights=FREE_OFF), field
    )
    assert scores(no_category) == {"cheap": 1.0, "dear": 1.0}
    assert scores(no_weight) == {"cheap": 1.0, "dear": 1.0}


def test_the_licensing_weight_slider_changes_the_ranking_when_cost_differs():
    # "featureful" has every a-feature but the highest cost (0); "cheap" half of them, cost 1.
    # Licensing 0.2: featureful 1/1.2 = 0.833 > cheap (0.5 + 0.2)/1.2 = 0.583.
    # Licensing 3:   featureful 1/4 = 0.25 < cheap (0.5 + 3)/4 = 0.875.
    field = {
        "featureful": ({"a1": "full", "a2": "full", "a3": "full", "a4": "full"}, 0.0),
        "cheap": ({"a1": "full", "a2": "full", "a3": "none", "a4": "none"}, 1.0),
    }

    def ranked(weight: float) -> list[str]:
        scn = scenario(
            category_weights={"a": 1.0, "licensing": weight},
            cost_weight=1.0,
            feature_weights=FREE_OFF,
        )
        rec = run_costed(scn, field)
        return [p.platform for p in rec.ranked]

    assert ranked(0.2) == ["featureful", "cheap"]
    assert ranked(3.0) == ["cheap", "featureful"]


def test_robustness_varies_the_cost_category_like_any_other():
    # Licensing weight w: featureful 1/(1+w), cheap (0.5+w)/(1+w): cheap leads while w > 0.5.
    # At w = 0.8 a fall of 37.5% lets featureful overtake (a rise of "a" would need 60%).
    field = {
        "featureful": ({"a1": "full", "a2": "full", "a3": "full", "a4": "full"}, 0.0),
        "cheap": ({"a1": "full", "a2": "full", "a3": "none", "a4": "none"}, 1.0),
    }
    scn = scenario(
        category_weights={"a": 1.0, "licensing": 0.8}, cost_weight=1.0, feature_weights=FREE_OFF
    )
    rec = run_costed(scn, field)
    assert rec.ranked[0].platform == "cheap"
    assert rec.robustness.swap_category == "licensing"
    assert rec.robustness.swap_change == pytest.approx(-0.375, abs=1e-6)
    assert "Cost and licensing fell by more than 37%" in rec.robustness.statement


def test_unknown_cost_follows_the_unknown_policy():
    all_a = {"a1": "full", "a2": "full", "a3": "full", "a4": "full"}
    field = {"known": (all_a, 1.0), "unknown": (all_a, None)}
    weights = {"category_weights": {"a": 1.0, "licensing": 1.0}, "feature_weights": FREE_OFF}
    penalize = run_costed(scenario(cost_weight=1.0, unknown_policy="penalize", **weights), field)
    ignore = run_costed(scenario(cost_weight=1.0, unknown_policy="ignore", **weights), field)

    assert scores(penalize)["unknown"] == pytest.approx((1.0 - 0.25) / 2)
    assert scores(ignore)["unknown"] == pytest.approx(1.0)  # the category has no say
    assert {p.platform: p.cost for p in penalize.ranked} == {"known": 1.0, "unknown": None}
    assert next(p for p in penalize.ranked if p.platform == "unknown").unknown_count == 1


def test_performance_term_uses_the_figure_relative_to_bare_metal():
    scn = scenario(performance_weight=0.5)
    same = {"a1": "full", "a2": "full", "a3": "none", "a4": "none"}
    rec = run(scn, {"fast": same, "slow": same}, performance={"fast": 0.9, "slow": 0.6})

    assert scores(rec) == pytest.approx(
        {"fast": (0.5 + 0.5 * 0.9) / 1.5, "slow": (0.5 + 0.5 * 0.6) / 1.5}
    )
    assert [p.performance for p in rec.ranked] == [0.9, 0.6]


def test_missing_performance_counts_as_zero_unless_unknowns_are_ignored():
    supports = {"with": ALL_FULL, "without": ALL_FULL}
    as_no = run(scenario(performance_weight=1.0), supports, performance={"with": 0.8})
    ignore = run(
        scenario(performance_weight=1.0, unknown_policy="ignore"),
        supports,
        performance={"with": 0.8},
    )

    assert scores(as_no) == pytest.approx({"with": 0.9, "without": 0.5})
    assert scores(ignore) == pytest.approx({"with": 0.9, "without": 1.0})


def test_performance_is_left_out_when_no_platform_has_results():
    rec = run(scenario(performance_weight=1.0), {"p": ALL_FULL, "q": {"a1": "full"}})

    assert scores(rec) == pytest.approx({"p": 1.0, "q": 0.25})
    assert "performance was left out" in rec.message


def test_reasons_are_ordered_by_impact_with_claims_and_sources():
    scn = scenario(feature_weights={"a1": 3.0, "a3": 2.0})
    rec = run(scn, {"p": {"a1": "full", "a2": "full", "a3": "full", "a4": "full"}, "q": {}})
    p, q = rec.ranked

    # Weights 3, 1, 2, 1 of 7; the field's mean is 0.5, so impact = w / 7 * (value - 0.5).
    assert [r.feature for r in p.helped] == ["a1", "a3", "a2", "a4"]
    assert [r.impact for r in p.helped] == pytest.approx([3 / 14, 2 / 14, 1 / 14, 1 / 14])
    assert [r.feature for r in q.hurt] == ["a1", "a3", "a2", "a4"]
    assert [r.impact for r in q.hurt] == pytest.approx([-3 / 14, -2 / 14, -1 / 14, -1 / 14])
    assert p.hurt == ()
    assert q.helped == ()
    first = p.helped[0]
    assert (first.feature_name, first.category, first.support) == ("Alpha one", "a", "full")
    assert first.source_url == "https://example.org/a1"
    assert q.hurt[0].support is None


def test_reasons_keep_the_top_five_and_skip_features_level_with_the_field():
    scn = scenario(category_weights={"a": 1.0, "b": 1.0, "c": 1.0})
    rec = run(scn, {"p": ALL_FULL, "q": {"c1": "full"}})
    p = rec.ranked[0]

    assert len(p.helped) == 5
    assert "c1" not in [r.feature for r in p.helped]  # both have it: it explains nothing


def test_impacts_add_up_to_the_distance_from_the_mean_score():
    scn = scenario(category_weights={"a": 2.0, "b": 1.0}, feature_weights={"a1": 2.0})
    rec = run(
        scn,
        {
            "p": {"a1": "full", "a2": "partial", "b1": "none", "b2": "full"},
            "q": {"a1": "none", "a2": "full", "a3": "full", "b1": "full"},
            "r": {"a4": "partial", "b1": "partial", "b2": "partial"},
        },
    )
    mean = sum(scores(rec).values()) / 3

    for p in rec.ranked:  # fewer than five reasons each way here, so all are listed
        total = sum(r.impact for r in (*p.helped, *p.hurt))
        assert total == pytest.approx(p.score - mean)


def two_category_case() -> dict[str, dict[str, str]]:
    # Weights a=3, b=1. p: a=1, b=0 -> 0.75. q: a=0.5, b=1 -> 0.625.
    # Scaling b by t: q > p when 1.5 + t > 3, so t > 1.5 (+50%).
    # Scaling a by t: q > p when 1.5t + 1 > 3t, so t < 2/3 (-33.3%): the smaller change.
    return {
        "p": {"a1": "full", "b1": "none"},
        "q": {"a1": "partial", "b1": "full"},
    }


def test_swap_search_finds_the_hand_computed_weight_change():
    scn = scenario(
        category_weights={"a": 3.0, "b": 1.0},
        feature_weights={"a2": 0.0, "a3": 0.0, "a4": 0.0, "b2": 0.0},
    )
    rec = run(scn, two_category_case())

    assert scores(rec) == pytest.approx({"p": 0.75, "q": 0.625})
    assert rec.robustness is not None
    assert rec.robustness.swap_category == "a"
    assert rec.robustness.swap_change == pytest.approx(-1 / 3, abs=1e-6)
    # Within ±20% the ratio a/b stays in [2, 4.5]; q only wins below 2.
    assert rec.robustness.winner_kept == 1.0
    assert (
        "Q would overtake if the weight of Category A fell by more than 33%"
        in rec.robustness.statement
    )


def test_dominant_platform_keeps_winning_and_no_single_weight_swaps_it():
    scn = scenario(category_weights={"a": 1.0, "b": 2.0, "c": 0.5})
    rec = run(scn, {"best": ALL_FULL, "worse": {"a1": "partial", "b1": "full"}}, trials=200)

    assert rec.robustness is not None
    assert rec.robustness.winner_kept == 1.0
    assert rec.robustness.trials == 200
    assert rec.robustness.swap_change is None
    assert rec.robustness.swap_category is None
    assert rec.robustness.statement.startswith("Stable: BEST stays first in 100% of 200")


def test_a_near_tie_is_fragile_and_reproducible_with_the_seed():
    # Equal weights, p strong in a, q equally strong in b: the winner depends on the draw.
    scn = scenario(
        category_weights={"a": 1.0, "b": 1.0},
        feature_weights={"a2": 0.0, "a3": 0.0, "a4": 0.0, "b2": 0.0},
    )
    supports = {"p": {"a1": "full"}, "q": {"b1": "full"}}
    first = run(scn, supports, seed=7)
    again = run(scn, supports, seed=7)

    assert first.robustness == again.robustness
    assert 0.3 < first.robustness.winner_kept < 0.7
    assert first.robustness.seed == 7
    assert first.robustness.statement.startswith("Fragile:")
    assert first.robustness.swap_change == pytest.approx(0.0, abs=1e-6)
    assert first.robustness.statement.endswith("Category A fell by less than 1%.")


def test_too_thin_when_the_best_platform_rests_on_unknowns():
    scn = scenario(unknown_policy="ignore")
    rec = run(scn, {"p": {"a1": "full", "a2": "full", "a3": "unknown"}, "q": {"a1": "partial"}})

    assert rec.ranked[0].platform == "p"
    assert rec.too_thin
    assert "50% of the weighted evidence for P (2 of 4 features)" in rec.message


def test_enough_evidence_is_not_too_thin():
    rec = run(scenario(), {"p": {"a1": "full", "a2": "full", "a3": "none"}, "q": {}})

    assert not rec.too_thin
    assert rec.message.startswith("P fits this scenario best (score 0.50; Q follows with 0.00)")


def test_one_platform_left_is_too_thin_and_has_no_robustness():
    scn = scenario(must_have=("live-migration",))
    rec = run(scn, {"p": {"live-migration": "full"}, "q": {}})

    assert [p.platform for p in rec.ranked] == ["p"]
    assert rec.robustness is None
    assert rec.too_thin
    assert rec.message == "Only P meets every must-have, so there is nothing to compare it with."


def test_no_platform_left_is_too_thin():
    rec = run(scenario(must_have=("live-migration",)), {"p": {}, "q": {}})

    assert rec.ranked == ()
    assert rec.robustness is None
    assert rec.too_thin
    assert rec.message.startswith("No platform meets every must-have")


@pytest.mark.parametrize(
    "overrides",
    [
        {"unknown_policy": "maybe"},
        {"category_weights": {"a": -1.0}},
        {"feature_weights": {"a1": -0.5}},
        {"cost_weight": -1.0},
    ],
)
def test_invalid_scenarios_are_refused(overrides):
    with pytest.raises(ValueError, match="unknown_policy|weights"):
        scenario(**overrides)


def test_a_single_platform_given_is_too_thin():
    rec = run(scenario(), {"p": ALL_FULL})

    assert rec.too_thin
    assert rec.message == "Only P was given, so there is nothing to compare it with."


@pytest.mark.parametrize("policy", ["ignore", "as-no", "penalize"])
def test_not_applicable_is_left_out_not_penalized_and_no_limit_counts_as_met(policy):
    scn = scenario(unknown_policy=policy, feature_weights={"a3": 0.0, "a4": 0.0})
    rec = run(scn, {"p": {"a1": "no-limit", "a2": "not-applicable"}, "q": ALL_FULL})

    p = next(s for s in rec.ranked if s.platform == "p")
    assert p.score == pytest.approx(1.0)  # a1 met, a2 out of the denominator
    assert p.unknown_count == 0

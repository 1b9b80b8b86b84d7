"""One recommendation path for the page and the API: the scenario with the URL's adjustments,
scored against the current claims, the estimated cost of the scenario's estate and, where
weighted, the measured performance."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarks.selectors import platform_performance
from costs import rules as cost_rules
from costs.selectors import scenario_estimate

from . import scoring, selectors
from .models import Scenario

COST_CATEGORY = "licensing"


def cost_evidence(
    estimate: cost_rules.Estimate, query_string: str, category_name: str
) -> dict[str, scoring.Evidence]:
    """Per platform, the estimated cost as an evidence of the Cost and licensing category."""
    scores = cost_rules.cost_scores(estimate)
    years = estimate.estate.years
    evidence = {}
    for cost in estimate.platforms:
        score = scores[cost.platform]
        detail = ngettext(
            "%(total)s over %(years)s year", "%(total)s over %(years)s years", years
        ) % {"total": cost.label, "years": years}
        if score.left_out:
            detail += " " + _("(%(currencies)s not compared: no sourced exchange rate)") % {
                "currencies": ", ".join(score.left_out)
            }
        evidence[cost.platform] = scoring.Evidence(
            feature=scoring.COST_FEATURE,
            feature_name=_("Estimated licence and support cost"),
            category=COST_CATEGORY,
            category_name=category_name,
            support="full" if score.value is not None else "unknown",
            source_url=f"/cost/?{query_string}#items-{cost.platform}",
            source_title=_("line items and their sources"),
            value=score.value,
            detail=detail,
        )
    return evidence


def recommend_for(
    scenario: Scenario, params
) -> tuple[
    scoring.Scenario,
    scoring.Recommendation,
    dict[str, dict[str, scoring.Evidence]],
    cost_rules.Estimate | None,
]:
    names, evidence = selectors.scoring_evidence()
    spec = selectors.scenario_for_scoring(scenario, params, selectors.known_features(evidence))
    estimate = None
    category_name = next(
        (
            item.category_name
            for per_platform in evidence.values()
            for item in per_platform.values()
            if item.category == COST_CATEGORY
        ),
        None,
    )
    if spec.cost_weight > 0 and category_name is not None:
        costed = scenario_estimate(scenario, params, names)
        if costed is not None:
            query, estimate = costed
            extra = cost_evidence(estimate, query.querystring(), category_name)
            evidence = {
                slug: {**per_feature, scoring.COST_FEATURE: extra[slug]}
                for slug, per_feature in evidence.items()
            }
    performance = platform_performance(list(names)) if spec.performance_weight else None
    return spec, scoring.recommend(spec, names, evidence, performance), evidence, estimate

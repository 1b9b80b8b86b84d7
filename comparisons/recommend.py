"""One recommendation path for the page and the API: the scenario with the URL's adjustments,
scored against the current claims and, where weighted, the measured performance."""

from benchmarks.selectors import platform_performance

from . import scoring, selectors
from .models import Scenario


def recommend_for(
    scenario: Scenario, params
) -> tuple[scoring.Scenario, scoring.Recommendation, dict[str, dict[str, scoring.Evidence]]]:
    names, evidence = selectors.scoring_evidence()
    spec = selectors.scenario_for_scoring(scenario, params, selectors.known_features(evidence))
    performance = platform_performance(list(names)) if spec.performance_weight else None
    return spec, scoring.recommend(spec, names, evidence, performance), evidence

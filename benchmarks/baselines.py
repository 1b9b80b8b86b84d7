"""The baselines screening compares a new run with: the database reads (one query each);
the judgement is benchmarks.screening's."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from . import aggregates
from .models import Benchmark, Environment, Result, Run

GLOBAL_HISTORY_RUNS = 1000
# Screening compares with the host's recent runs only, so its cost stays flat however many
# runs a host accumulates (it once read every accepted value of the host: 28 ms per batch
# at 5,000 runs and growing).
HISTORY_RUNS = 200


def _recent_runs(
    environment_ids: Collection[int], benchmark: Benchmark, variant: str
) -> QuerySet[Run]:
    """Each host's most recent accepted runs of the benchmark's workload (a variant is
    screened against its own runs only)."""
    return (
        Run.objects.filter(
            environment_id__in=list(environment_ids),
            benchmark=benchmark,
            variant=variant,
            status=Run.Status.ACCEPTED,
        )
        .annotate(
            recency=Window(RowNumber(), partition_by=F("environment_id"), order_by=F("pk").desc())
        )
        .filter(recency__lte=HISTORY_RUNS)
    )


def _recent_results(
    environment_ids: Collection[int], benchmark: Benchmark, variant: str
) -> QuerySet[Result]:
    """Whole-run results of those runs."""
    recent = _recent_runs(environment_ids, benchmark, variant)
    return Result.objects.filter(run__in=recent.values("pk"), job="").order_by()  # no sort


def host_histories(
    environment_ids: Collection[int], benchmark: Benchmark, variant: str = ""
) -> dict[int, dict[int, list[float]]]:
    """Per host: accepted whole-run values per metric of its most recent runs, sorted; what
    the runs of an import batch are screened against (the batch adds to them as it goes).
    Two queries for any number of hosts: the runs with their host, then their results (one
    query joining every result back to its run for the host took twice as long: 97 vs 45 ms
    for 20 hosts × 200 runs × 10 metrics)."""
    histories: dict[int, dict[int, list[float]]] = {pk: {} for pk in environment_ids}
    host_of = dict(
        _recent_runs(environment_ids, benchmark, variant).values_list("pk", "environment_id")
    )
    rows = _recent_results(environment_ids, benchmark, variant).values_list(
        "run_id", "metric_id", "value"
    )
    for run_id, metric_id, value in rows:
        host = host_of.get(run_id)  # None: a run committed between the two queries
        if host is not None:
            histories[host].setdefault(metric_id, []).append(value)
    for per_metric in histories.values():
        for values in per_metric.values():
            values.sort()  # kept sorted (bisect.insort), so a median is a lookup
    return histories


def global_baselines(benchmark: Benchmark, variant: str = "") -> dict[int, tuple[int, float]]:
    """Per metric: number and median of the workload's most recent accepted runs on any
    host (flagged runs never count, so garbage cannot move it). One query."""
    recent = Run.objects.filter(
        benchmark=benchmark, variant=variant, status=Run.Status.ACCEPTED
    ).order_by("-pk")
    results = Result.objects.filter(
        run__in=recent.values("pk")[:GLOBAL_HISTORY_RUNS], job=""
    ).order_by()
    medians = aggregates.group_medians(results, ["metric_id"])
    return {metric_id: counted for (metric_id,), counted in medians.items()}


def host_baselines(
    environment: Environment, benchmark: Benchmark, variant: str = ""
) -> dict[int, tuple[int, float]]:
    """What one new run is screened against: per metric, the number of the host's recent
    accepted runs and their median, aggregated by the database (a handful of rows, not every
    value: reading ~1,200 values took a quarter of a submission's time)."""
    results = _recent_results([environment.pk], benchmark, variant)
    medians = aggregates.group_medians(results, ["metric_id"])
    return {metric_id: counted for (metric_id,), counted in medians.items()}

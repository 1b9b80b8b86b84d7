"""Plausibility screening: a new run is compared with the same host's recent accepted runs
(and a NIC's line rate); what looks like a unit mistake or a broken run is stored as
flagged for a curator instead of going into the charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from . import aggregates
from .models import Benchmark, Environment, Result, Run

if TYPE_CHECKING:
    from .services import PreparedRun

# A value this many times above or below the median of the same metric on the same host
# is more likely a unit mistake or a broken run than a real difference.
IMPLAUSIBLE_FACTOR = 10
MIN_RUNS_FOR_SCREENING = 3

# Screening compares with the host's recent runs only, so its cost stays flat however many
# runs a host accumulates (it once read every accepted value of the host: 28 ms per batch
# at 5,000 runs and growing).
HISTORY_RUNS = 200


def _recent_results(environment_ids, benchmark: Benchmark):
    """Whole-run results of each host's most recent accepted runs of the benchmark."""
    recent = (
        Run.objects.filter(
            environment_id__in=list(environment_ids),
            benchmark=benchmark,
            status=Run.Status.ACCEPTED,
        )
        .annotate(
            recency=Window(RowNumber(), partition_by=F("environment_id"), order_by=F("pk").desc())
        )
        .filter(recency__lte=HISTORY_RUNS)
    )
    return Result.objects.filter(run__in=recent.values("pk"), job="").order_by()  # no sort


def host_histories(environment_ids, benchmark: Benchmark) -> dict[int, dict[int, list[float]]]:
    """Per host: accepted whole-run values per metric of its most recent runs, sorted; what
    the runs of an import batch are screened against (the batch adds to them as it goes).
    One query for any number of hosts."""
    histories: dict[int, dict[int, list[float]]] = {pk: {} for pk in environment_ids}
    rows = _recent_results(environment_ids, benchmark).values_list(
        "run__environment_id", "metric_id", "value"
    )
    for environment_id, metric_id, value in rows:
        histories[environment_id].setdefault(metric_id, []).append(value)
    for per_metric in histories.values():
        for values in per_metric.values():
            values.sort()  # kept sorted (bisect.insort), so a median is a lookup
    return histories


def host_baselines(environment: Environment, benchmark: Benchmark) -> dict[int, tuple[int, float]]:
    """What one new run is screened against: per metric, the number of the host's recent
    accepted runs and their median, aggregated by the database (a handful of rows, not every
    value: reading ~1,200 values took a quarter of a submission's time)."""
    results = _recent_results([environment.pk], benchmark)
    medians = aggregates.group_medians(results, ["metric_id"])
    return {metric_id: counted for (metric_id,), counted in medians.items()}


def _median_of_sorted(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def baselines_from(history: dict[int, list[float]]) -> dict[int, tuple[int, float]]:
    """Screening baselines from a batch's sorted histories (which grow as it is stored)."""
    return {metric: (len(values), _median_of_sorted(values)) for metric, values in history.items()}


def screen(prepared: PreparedRun, baselines: dict[int, tuple[int, float]]) -> str:
    """Why the run looks implausible, or "" when it looks fine. `baselines`: per metric, the
    number of the same host's accepted runs and their median."""
    line_rate = prepared.environment.get("nic_speed_gbps")
    for row in prepared.results:
        if line_rate and row.metric.unit == "Mbit/s" and row.value > line_rate * 1000 * 1.05:
            return (
                f"{row.metric.slug} = {row.value:g} Mbit/s is above the NIC line rate "
                f"({line_rate:g} Gbit/s)."
            )
    for row in prepared.results:
        runs, median = baselines.get(row.metric.pk, (0, 0.0))
        if row.job or runs < MIN_RUNS_FOR_SCREENING:
            continue
        low, high = median / IMPLAUSIBLE_FACTOR, median * IMPLAUSIBLE_FACTOR
        if median > 0 and not low <= row.value <= high:
            return (
                f"{row.metric.slug} = {row.value:g} {row.metric.unit} is more than "
                f"{IMPLAUSIBLE_FACTOR}x away from the median {median:g} of {runs} "
                "accepted runs on the same host."
            )
    return ""

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
# A host without history is compared with the benchmark's runs on every host. Hardware
# differs (a laptop and a 128-core server), so the band is wider; a 0 where others measure
# thousands, or a KiB/GiB mix-up, still falls outside it.
GLOBAL_IMPLAUSIBLE_FACTOR = 100
GLOBAL_HISTORY_RUNS = 1000

# Screening compares with the host's recent runs only, so its cost stays flat however many
# runs a host accumulates (it once read every accepted value of the host: 28 ms per batch
# at 5,000 runs and growing).
HISTORY_RUNS = 200


def _recent_results(environment_ids, benchmark: Benchmark, variant: str):
    """Whole-run results of each host's most recent accepted runs of the benchmark's
    workload (a variant is screened against its own runs only)."""
    recent = (
        Run.objects.accepted()
        .filter(environment_id__in=list(environment_ids), benchmark=benchmark, variant=variant)
        .annotate(
            recency=Window(RowNumber(), partition_by=F("environment_id"), order_by=F("pk").desc())
        )
        .filter(recency__lte=HISTORY_RUNS)
    )
    return Result.objects.filter(run__in=recent.values("pk"), job="").order_by()  # no sort


def host_histories(
    environment_ids, benchmark: Benchmark, variant: str = ""
) -> dict[int, dict[int, list[float]]]:
    """Per host: accepted whole-run values per metric of its most recent runs, sorted; what
    the runs of an import batch are screened against (the batch adds to them as it goes).
    One query for any number of hosts."""
    histories: dict[int, dict[int, list[float]]] = {pk: {} for pk in environment_ids}
    rows = _recent_results(environment_ids, benchmark, variant).values_list(
        "run__environment_id", "metric_id", "value"
    )
    for environment_id, metric_id, value in rows:
        histories[environment_id].setdefault(metric_id, []).append(value)
    for per_metric in histories.values():
        for values in per_metric.values():
            values.sort()  # kept sorted (bisect.insort), so a median is a lookup
    return histories


def global_baselines(benchmark: Benchmark, variant: str = "") -> dict[int, tuple[int, float]]:
    """Per metric: number and median of the workload's most recent accepted runs on any
    host (flagged runs never count, so garbage cannot move it). One query."""
    recent = Run.objects.accepted().filter(benchmark=benchmark, variant=variant).order_by("-pk")
    results = Result.objects.filter(
        run__in=recent.values("pk")[:GLOBAL_HISTORY_RUNS], job=""
    ).order_by()
    medians = aggregates.group_medians(results, ["metric_id"])
    return {metric_id: counted for (metric_id,), counted in medians.items()}


def needs_global(prepared: PreparedRun, baselines: dict[int, tuple[int, float]]) -> bool:
    """Whether some result has too little history on its own host to be screened there."""
    return any(
        not row.job and baselines.get(row.metric.pk, (0, 0.0))[0] < MIN_RUNS_FOR_SCREENING
        for row in prepared.results
    )


def host_baselines(
    environment: Environment, benchmark: Benchmark, variant: str = ""
) -> dict[int, tuple[int, float]]:
    """What one new run is screened against: per metric, the number of the host's recent
    accepted runs and their median, aggregated by the database (a handful of rows, not every
    value: reading ~1,200 values took a quarter of a submission's time)."""
    results = _recent_results([environment.pk], benchmark, variant)
    medians = aggregates.group_medians(results, ["metric_id"])
    return {metric_id: counted for (metric_id,), counted in medians.items()}


def _median_of_sorted(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def baselines_from(history: dict[int, list[float]]) -> dict[int, tuple[int, float]]:
    """Screening baselines from a batch's sorted histories (which grow as it is stored)."""
    return {metric: (len(values), _median_of_sorted(values)) for metric, values in history.items()}


def screen(
    prepared: PreparedRun,
    baselines: dict[int, tuple[int, float]],
    fallback: dict[int, tuple[int, float]] | None = None,
) -> str:
    """Why the run looks implausible, or "" when it looks fine. `baselines`: per metric, the
    number of the same host's accepted runs and their median; `fallback`: the same over
    every host, for metrics the host has too few runs of."""
    line_rate = prepared.environment.get("nic_speed_gbps")
    for row in prepared.results:
        if line_rate and row.metric.unit == "Mbit/s" and row.value > line_rate * 1000 * 1.05:
            return (
                f"{row.metric.slug} = {row.value:g} Mbit/s is above the NIC line rate "
                f"({line_rate:g} Gbit/s)."
            )
    for row in prepared.results:
        if row.job or (row.value == 0 and row.metric.better == "lower"):
            continue  # no retransmits, no loss: the best value, not a broken run
        runs, median = baselines.get(row.metric.pk, (0, 0.0))
        factor, where = IMPLAUSIBLE_FACTOR, "on the same host"
        if runs < MIN_RUNS_FOR_SCREENING:
            runs, median = (fallback or {}).get(row.metric.pk, (0, 0.0))
            factor, where = GLOBAL_IMPLAUSIBLE_FACTOR, "on all hosts (this host has too few)"
        if runs < MIN_RUNS_FOR_SCREENING or median <= 0:
            continue
        if not median / factor <= row.value <= median * factor:
            return (
                f"{row.metric.slug} = {row.value:g} {row.metric.unit} is more than "
                f"{factor}x away from the median {median:g} of {runs} accepted runs {where}."
            )
    return ""

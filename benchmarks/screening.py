"""Plausibility screening: a new run is compared with the same host's recent accepted runs
(and a NIC's line rate); what looks like a unit mistake or a broken run is stored as
flagged for a curator instead of going into the charts.

Pure: the baselines it compares with are read by benchmarks.baselines; benchmarks.services
passes them in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .submission import PreparedRun

# A value this many times above or below the median of the same metric on the same host
# is more likely a unit mistake or a broken run than a real difference.
IMPLAUSIBLE_FACTOR = 10
MIN_RUNS_FOR_SCREENING = 3
# A host without history is compared with the benchmark's runs on every host. Hardware
# differs (a laptop and a 128-core server), so the band is wider; a 0 where others measure
# thousands, or a KiB/GiB mix-up, still falls outside it.
GLOBAL_IMPLAUSIBLE_FACTOR = 100


def needs_global(prepared: PreparedRun, baselines: dict[int, tuple[int, float]]) -> bool:
    """Whether some result has too little history on its own host to be screened there."""
    return any(
        not row.job and baselines.get(row.metric.pk, (0, 0.0))[0] < MIN_RUNS_FOR_SCREENING
        for row in prepared.results
    )


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

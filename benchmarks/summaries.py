"""Group chart rows into per-platform statistics and per-host overhead. Pure: rows in, data out."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import stats

BASELINE = "bare-metal"


@dataclass(frozen=True)
class ChartRow:
    run_id: int
    value: float
    platform: str
    platform_name: str
    release: str
    environment: str  # hardware fingerprint
    environment_label: str
    guest_os: str
    vcpus: int | None
    approximate: bool
    paid_by: str = ""  # the vendor or sponsor behind a published result, "" if independent

    @property
    def series(self) -> str:
        return f"{self.platform_name} {self.release}".strip()


@dataclass(frozen=True)
class SeriesSummary:
    platform: str
    name: str
    release: str
    summary: stats.Summary


@dataclass(frozen=True)
class OverheadRow:
    platform: str
    name: str
    environment: str
    environment_label: str
    result: stats.Overhead | None
    text: str


def by_series(rows: Iterable[ChartRow]) -> dict[tuple[str, str], list[ChartRow]]:
    groups: dict[tuple[str, str], list[ChartRow]] = {}
    for row in rows:
        groups.setdefault((row.platform, row.release), []).append(row)
    return groups


def series_summaries(rows: Sequence[ChartRow], *, resamples: int = 2000) -> list[SeriesSummary]:
    """n, median, spread and CI per platform and release, in the order rows first name them."""
    return [
        SeriesSummary(
            platform,
            group[0].platform_name,
            release,
            stats.summarize([r.value for r in group], resamples=resamples),
        )
        for (platform, release), group in by_series(rows).items()
    ]


def overheads(rows: Sequence[ChartRow], *, better: str, resamples: int = 2000) -> list[OverheadRow]:
    """Each platform against bare metal on the same hardware fingerprint, never across hosts."""
    hosts: dict[str, dict[str, list[ChartRow]]] = {}
    for row in rows:
        hosts.setdefault(row.environment, {}).setdefault(row.platform, []).append(row)
    result: list[OverheadRow] = []
    for environment, platforms in hosts.items():
        baseline = platforms.get(BASELINE)
        if not baseline:
            continue
        base_values = [r.value for r in baseline]
        for platform, group in platforms.items():
            if platform == BASELINE:
                continue
            values = [r.value for r in group]
            found = stats.overhead(values, base_values, better=better, resamples=resamples)
            name = group[0].platform_name
            result.append(
                OverheadRow(
                    platform,
                    name,
                    environment,
                    group[0].environment_label,
                    found,
                    stats.describe_overhead(name, found),
                )
            )
    return result


def median_relative(host_medians: dict[tuple[str, Any], tuple[int, float]], *, better: str):
    """Per platform, the median over hosts of its relative performance versus bare metal on
    the same host, from (count, median) per (platform, host); hosts where either side has
    too few runs (or a zero median) do not count. The same figure as `overheads` gives each
    host, without needing every value."""
    per_host: dict[Any, dict[str, float]] = {}
    for (platform, host), (n, median) in host_medians.items():
        if n >= stats.MIN_RUNS and median != 0:
            per_host.setdefault(host, {})[platform] = median
    per_platform: dict[str, list[float]] = {}
    for platforms in per_host.values():
        base = platforms.get(BASELINE)
        if base is None:
            continue
        for platform, median in platforms.items():
            if platform != BASELINE:
                per_platform.setdefault(platform, []).append(stats.ratio(median, base, better))
    return {platform: statistics.median(values) for platform, values in per_platform.items()}

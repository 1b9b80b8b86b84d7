"""One host's runs, per benchmark and metric: each platform against bare metal on that host.

Pure: result rows in, blocks out. The statistics are benchmarks.stats (median with its
interval, ratio of medians with a bootstrap interval), the same as the chart pages use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import stats

BASELINE = "bare-metal"
PAIRED_PREFIX = "Paired host "


@dataclass(frozen=True)
class HostResult:
    run_id: int
    benchmark: str
    benchmark_name: str
    metric: str
    metric_name: str
    unit: str
    better: str
    platform: str
    platform_name: str
    release: str
    value: float


@dataclass(frozen=True)
class SeriesLine:
    platform: str
    name: str
    release: str
    summary: stats.Summary
    overhead: stats.Overhead | None
    overhead_text: str  # empty for the baseline itself
    run_ids: tuple[int, ...]

    @property
    def is_baseline(self) -> bool:
        return self.platform == BASELINE


@dataclass(frozen=True)
class MetricBlock:
    slug: str
    name: str
    unit: str
    better: str
    lines: tuple[SeriesLine, ...]


@dataclass(frozen=True)
class BenchmarkBlock:
    slug: str
    name: str
    metrics: tuple[MetricBlock, ...]
    has_baseline: bool
    has_platform: bool

    @property
    def comparable(self) -> bool:
        return self.has_baseline and self.has_platform


def pairing_tag(cpu_model: str) -> str:
    """The pairing tag of a host created by virtcompare-bench --pair, else ''."""
    return cpu_model[len(PAIRED_PREFIX) :] if cpu_model.startswith(PAIRED_PREFIX) else ""


def compare(rows: Sequence[HostResult], *, resamples: int = 2000) -> list[BenchmarkBlock]:
    """Blocks in the order rows arrive (benchmark, metric), bare metal first in each metric."""
    grouped: dict[str, dict[str, dict[tuple[str, str], list[HostResult]]]] = {}
    for row in rows:
        series = grouped.setdefault(row.benchmark, {}).setdefault(row.metric, {})
        series.setdefault((row.platform, row.release), []).append(row)
    blocks = []
    for metrics in grouped.values():
        metric_blocks = []
        platforms: set[str] = set()
        for series in metrics.values():
            first = next(iter(series.values()))[0]
            baseline = [r.value for (p, _), g in series.items() if p == BASELINE for r in g]
            lines = []
            for (platform, release), group in sorted(
                series.items(), key=lambda item: (item[0][0] != BASELINE, item[0])
            ):
                platforms.add(platform)
                values = [r.value for r in group]
                found = text = None
                if platform != BASELINE:
                    found = (
                        stats.overhead(values, baseline, better=first.better, resamples=resamples)
                        if baseline
                        else None
                    )
                    text = stats.describe_overhead(f"{group[0].platform_name} {release}", found)
                lines.append(
                    SeriesLine(
                        platform,
                        group[0].platform_name,
                        release,
                        stats.summarize(values, resamples=resamples),
                        found,
                        text or "",
                        tuple(r.run_id for r in group),
                    )
                )
            metric_blocks.append(
                MetricBlock(first.metric, first.metric_name, first.unit, first.better, tuple(lines))
            )
        first_row = next(iter(next(iter(metrics.values())).values()))[0]
        blocks.append(
            BenchmarkBlock(
                first_row.benchmark,
                first_row.benchmark_name,
                tuple(metric_blocks),
                has_baseline=BASELINE in platforms,
                has_platform=bool(platforms - {BASELINE}),
            )
        )
    return blocks

"""Read shapes for benchmark pages and the API, each a fixed number of queries."""

import statistics
from dataclasses import dataclass

from django.db.models import Count, Prefetch

from . import charts, summaries
from .models import Benchmark, Metric, Result, Run


def benchmarks_with_metrics():
    return Benchmark.objects.prefetch_related(
        Prefetch("metrics", queryset=Metric.objects.order_by("position"))
    )


def runs_for_api():
    return Run.objects.select_related(
        "benchmark", "platform", "release", "environment", "source"
    ).prefetch_related(
        Prefetch("results", queryset=Result.objects.select_related("metric").order_by("pk"))
    )


@dataclass(frozen=True)
class ChartFilters:
    metric: str = ""
    platforms: tuple[str, ...] = ()
    releases: tuple[str, ...] = ()  # "slug@version"
    environment: str = ""
    guest_os: str = ""
    vcpus: int | None = None


def chart_filters(params) -> ChartFilters:
    """Chart filters from query parameters (the page and the API read the same ones)."""
    vcpus = params.get("vcpus", "")
    return ChartFilters(
        metric=params.get("metric", ""),
        platforms=tuple(p for p in params.get("platforms", "").split(",") if p),
        releases=tuple(params.getlist("release")),
        environment=params.get("environment", ""),
        guest_os=params.get("guest_os", ""),
        vcpus=int(vcpus) if vcpus.isdigit() else None,
    )


def chart_rows(metric: Metric, filters: ChartFilters) -> list[summaries.ChartRow]:
    """Accepted whole-run results of one metric, filtered: one query whatever the run count."""
    results = Result.objects.filter(metric=metric, job="", run__status=Run.Status.ACCEPTED)
    if filters.platforms:
        # The baseline stays in: overhead needs it.
        results = results.filter(run__platform__slug__in=[*filters.platforms, "bare-metal"])
    if filters.environment:
        results = results.filter(run__environment__fingerprint=filters.environment)
    if filters.guest_os:
        results = results.filter(run__guest_os=filters.guest_os)
    if filters.vcpus:
        results = results.filter(run__vm_vcpus=filters.vcpus)
    rows = results.order_by(
        "run__platform__position", "run__release__position", "run_id"
    ).values_list(
        "run_id",
        "value",
        "run__platform__slug",
        "run__platform__name",
        "run__release__version",
        "run__environment__fingerprint",
        "run__environment__cpu_model",
        "run__environment__cores",
        "run__guest_os",
        "run__vm_vcpus",
        "run__approximate",
    )
    chosen_releases = set(filters.releases)
    out = []
    for run_id, value, slug, name, version, fp, cpu, cores, guest, vcpus, approx in rows:
        if chosen_releases and slug != "bare-metal" and f"{slug}@{version}" not in chosen_releases:
            continue
        label = f"{cpu}" + (f", {cores} cores" if cores else "") + f" [{fp[:6]}]"
        out.append(
            summaries.ChartRow(
                run_id=run_id,
                value=value,
                platform=slug,
                platform_name=name,
                release="" if slug == "bare-metal" else version,
                environment=fp,
                environment_label=label,
                guest_os=guest,
                vcpus=vcpus,
                approximate=approx,
            )
        )
    return out


def filter_choices(benchmark: Benchmark) -> dict:
    """What the chart filters can offer: one query over the benchmark's accepted runs."""
    runs = (
        Run.objects.filter(benchmark=benchmark, status=Run.Status.ACCEPTED)
        .values_list(
            "platform__slug",
            "platform__name",
            "release__version",
            "environment__fingerprint",
            "environment__cpu_model",
            "guest_os",
            "vm_vcpus",
        )
        .distinct()
    )
    platforms: dict[str, str] = {}
    releases: set[tuple[str, str]] = set()
    environments: dict[str, str] = {}
    guests: set[str] = set()
    vcpus: set[int] = set()
    for slug, name, version, fp, cpu, guest, cpus in runs:
        platforms[slug] = name
        releases.add((slug, version))
        environments[fp] = f"{cpu} [{fp[:6]}]"
        if guest:
            guests.add(guest)
        if cpus:
            vcpus.add(cpus)
    return {
        "platforms": sorted(platforms.items(), key=lambda p: p[1]),
        "releases": sorted(f"{s}@{v}" for s, v in releases if s != "bare-metal"),
        "environments": sorted(environments.items(), key=lambda e: e[1]),
        "guest_os": sorted(guests),
        "vcpus": sorted(vcpus),
    }


def benchmark_index() -> list[dict]:
    """Every benchmark with its metrics and accepted runs per platform: three queries."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Run.objects.filter(status=Run.Status.ACCEPTED)
        .values("benchmark_id", "platform__name")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts.setdefault(row["benchmark_id"], {})[row["platform__name"]] = row["n"]
    return [
        {"benchmark": b, "runs": sorted(counts.get(b.pk, {}).items())}
        for b in benchmarks_with_metrics()
    ]


def newest_runs(limit: int = 10):
    return Run.objects.select_related("benchmark", "platform", "release", "environment").order_by(
        "-submitted_at", "-pk"
    )[:limit]


def performance_overview(platform_slugs: list[str]) -> list[dict]:
    """For the compare page: per benchmark with data, each platform's median % of bare metal
    (over hosts with enough runs), on the benchmark's first metric. Three queries."""
    first_metrics = {}
    for metric in Metric.objects.select_related("benchmark").order_by(
        "benchmark__position", "position"
    ):
        first_metrics.setdefault(metric.benchmark_id, metric)
    rows = Result.objects.filter(
        metric__in=list(first_metrics.values()),
        job="",
        run__status=Run.Status.ACCEPTED,
        run__platform__slug__in=[*platform_slugs, "bare-metal"],
    ).values_list(
        "metric_id",
        "run_id",
        "value",
        "run__platform__slug",
        "run__platform__name",
        "run__release__version",
        "run__environment__fingerprint",
    )
    per_metric: dict[int, list[summaries.ChartRow]] = {}
    for metric_id, run_id, value, slug, name, version, fp in rows:
        per_metric.setdefault(metric_id, []).append(
            summaries.ChartRow(run_id, value, slug, name, version, fp, fp[:6], "", None, False)
        )
    overview = []
    for metric in first_metrics.values():
        rows_for_metric = per_metric.get(metric.pk, [])
        if not rows_for_metric:
            continue
        relative = summaries.median_relative(
            summaries.overheads(rows_for_metric, better=metric.better, resamples=200)
        )
        overview.append(
            {
                "benchmark": metric.benchmark,
                "metric": metric,
                "relative": {slug: relative.get(slug) for slug in platform_slugs},
            }
        )
    return overview


def benchmark_chart(benchmark: Benchmark, filters: ChartFilters) -> dict | None:
    """Everything the chart page and the summary API show for one metric; None: no such metric."""
    metrics = list(benchmark.metrics.all())
    metric = next((m for m in metrics if m.slug == filters.metric), None)
    if filters.metric and metric is None:
        return None
    metric = metric or (metrics[0] if metrics else None)
    if metric is None:
        return None
    rows = chart_rows(metric, filters)
    overhead_rows = summaries.overheads(rows, better=metric.better)
    return {
        "benchmark": benchmark,
        "metric": metric,
        "metrics": metrics,
        "filters": filters,
        "choices": filter_choices(benchmark),
        "rows": rows,
        "series": summaries.series_summaries(rows),
        "overheads": overhead_rows,
        "runs_figure": charts.runs_figure(rows, metric_name=metric.name, unit=metric.unit),
        "overhead_figure": charts.overhead_figure(overhead_rows),
    }


def platform_performance(platform_slugs: list[str]) -> dict[str, float]:
    """One 0..1 figure per platform for the recommender: the median, over benchmarks with
    enough runs, of its relative performance versus bare metal (capped at 1)."""
    per_platform: dict[str, list[float]] = {}
    for entry in performance_overview(platform_slugs):
        for slug, relative in entry["relative"].items():
            if relative is not None:
                per_platform.setdefault(slug, []).append(relative)
    return {slug: min(1.0, statistics.median(values)) for slug, values in per_platform.items()}

"""Read shapes for benchmark pages and the API, each a fixed number of queries."""

import statistics
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Mod
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comparisons.models import Platform, Release, Source
from comparisons.snapshot import ByDataVersion
from portal.localized import translated

from . import aggregates, charts, stats, summaries, verdicts
from .models import Benchmark, Environment, Metric, Result, Run


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


# Figures derived from the results: recomputed when the catalogue or results version changes.
by_data_version = ByDataVersion()


@dataclass(frozen=True)
class ChartFilters:
    metric: str = ""
    platforms: tuple[str, ...] = ()
    releases: tuple[str, ...] = ()  # "slug@version"
    environment: str = ""
    guest_os: str = ""
    vcpus: int | None = None
    variant: str = ""  # "" = the benchmark's recommended workload
    independent_only: bool = False  # hide results from vendor or sponsored sources

    def items(self) -> list[tuple[str, str]]:
        found = [("metric", self.metric)] if self.metric else []
        found += [("platforms", ",".join(self.platforms))] if self.platforms else []
        found += [("release", r) for r in self.releases]
        for name in ("environment", "guest_os", "variant"):
            if getattr(self, name):
                found.append((name, getattr(self, name)))
        found += [("vcpus", str(self.vcpus))] if self.vcpus is not None else []
        found += [("paid", "hide")] if self.independent_only else []
        return found

    def querystring(self) -> str:
        return urlencode(self.items())

    def without(self, *names: str) -> "ChartFilters":
        """The same chart without some filters (their defaults)."""
        defaults = ChartFilters()
        return replace(self, **{name: getattr(defaults, name) for name in names})


def filtered_results(metric: Metric, filters: ChartFilters):
    """Accepted whole-run results of one metric with the page's filters, all in SQL."""
    results = Result.objects.filter(
        metric=metric, job="", run__status=Run.Status.ACCEPTED, run__variant=filters.variant
    )
    if filters.platforms:
        # The baseline stays in: overhead needs it.
        results = results.filter(run__platform__slug__in=[*filters.platforms, "bare-metal"])
    if filters.releases:
        chosen = Q(run__platform__slug="bare-metal")
        for item in filters.releases:
            slug, _, version = item.partition("@")
            chosen |= Q(run__platform__slug=slug, run__release__version=version)
        results = results.filter(chosen)
    if filters.environment:
        results = results.filter(run__environment__fingerprint=filters.environment)
    if filters.guest_os:
        results = results.filter(run__guest_os=filters.guest_os)
    if filters.vcpus:
        results = results.filter(run__vm_vcpus=filters.vcpus)
    if filters.independent_only:
        results = results.exclude(run__source__affiliation__in=PAID)
    return results.order_by()


PAID = ("vendor", "sponsored")  # Source.Affiliation values where someone paid for the result


def chart_rows(results, every: int = 1) -> list[summaries.ChartRow]:
    """The rows to plot: all of them, or every n-th run when there are too many to draw."""
    if every > 1:
        results = results.annotate(sample=Mod("run_id", every)).filter(sample=0)
    rows = results.order_by(
        "run__platform__position", "run__release__position", "run_id"
    ).values_list(
        "run_id",
        "value",
        "run__platform__slug",
        translated("run__platform__name"),  # the baseline has a Chinese name
        "run__release__version",
        "run__environment__fingerprint",
        "run__environment__cpu_model",
        "run__environment__cores",
        "run__guest_os",
        "run__vm_vcpus",
        "run__approximate",
        "run__source__affiliation",
        "run__source__affiliated_with",
    )
    out = []
    for row in rows:
        run_id, value, slug, name, version, fp, cpu, cores, guest, vcpus, approx, paid, by = row
        size = _("%(cpu)s, %(cores)s cores") % {"cpu": cpu, "cores": cores} if cores else cpu
        label = f"{size} [{fp[:6]}]"
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
                paid_by=(by or paid) if paid in PAID else "",
            )
        )
    return out


def filter_choices(benchmark: Benchmark) -> dict:
    """What the chart filters can offer: one query over the benchmark's accepted runs."""
    runs = (
        Run.objects.filter(benchmark=benchmark, status=Run.Status.ACCEPTED)
        .values_list(
            "platform__slug",
            translated("platform__name"),
            "release__version",
            "environment__fingerprint",
            "environment__cpu_model",
            "guest_os",
            "vm_vcpus",
            "variant",
        )
        .distinct()
    )
    platforms: dict[str, str] = {}
    releases: set[tuple[str, str]] = set()
    environments: dict[str, str] = {}
    guests: set[str] = set()
    vcpus: set[int] = set()
    variants: set[str] = set()
    for slug, name, version, fp, cpu, guest, cpus, variant in runs:
        if variant:
            variants.add(variant)
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
        "variants": sorted(variants),
    }


def benchmark_index() -> list[dict]:
    """Every benchmark with its metrics and accepted runs per platform (of the recommended
    workload; runs of other workloads counted apart): three queries."""
    counts: dict[int, dict[str, int]] = {}
    variants: dict[int, int] = {}
    rows = (
        Run.objects.filter(status=Run.Status.ACCEPTED)
        .values("benchmark_id", "variant", platform_name=translated("platform__name"))
        .annotate(n=Count("id"))
    )
    for row in rows:
        if row["variant"]:
            variants[row["benchmark_id"]] = variants.get(row["benchmark_id"], 0) + row["n"]
            continue
        per_platform = counts.setdefault(row["benchmark_id"], {})
        per_platform[row["platform_name"]] = row["n"]
    index = [
        {
            "benchmark": b,
            "runs": sorted(counts.get(b.pk, {}).items()),
            "variant_runs": variants.get(b.pk, 0),
        }
        for b in benchmarks_with_metrics()
    ]
    # Benchmarks with data first (stable: each group keeps the definitions' order).
    return sorted(index, key=lambda entry: not entry["runs"])


def newest_runs(limit: int = 10):
    return Run.objects.select_related("benchmark", "platform", "release", "environment").order_by(
        "-submitted_at", "-pk"
    )[:limit]


def _metrics_in_order() -> list[Metric]:
    return list(
        Metric.objects.select_related("benchmark").order_by("benchmark__position", "position")
    )


def _headline_metrics(metrics: list[Metric]) -> dict[int, Metric]:
    """Each benchmark's first metric, by benchmark id: the one its summaries lead with."""
    first: dict[int, Metric] = {}
    for metric in metrics:
        first.setdefault(metric.benchmark_id, metric)
    return first


def performance_overview(platform_slugs: list[str]) -> list[dict]:
    """For the compare page: per benchmark with data, each platform's median % of bare metal
    (over hosts with enough runs), on the benchmark's first metric."""
    key = ("overview", tuple(platform_slugs), get_language())
    return by_data_version.get(key, lambda: _performance_overview(platform_slugs))


def _performance_overview(platform_slugs: list[str]) -> list[dict]:
    first_metrics = _headline_metrics(_metrics_in_order())
    relative = _relative_performance(list(first_metrics.values()))
    entries = [
        {
            "benchmark": metric.benchmark,
            "metric": metric,
            "relative": {slug: relative[metric.pk].get(slug) for slug in platform_slugs},
        }
        for metric in first_metrics.values()
        if metric.pk in relative
    ]
    # A row in which none of the chosen platforms has a figure is an empty placeholder.
    return [e for e in entries if any(v is not None for v in e["relative"].values())]


def _relative_performance(metrics: list[Metric]) -> dict[int, dict[str, float]]:
    """Every platform's relative performance per metric. One aggregate over all accepted
    results, so it is computed once per results version (every benchmark change bumps it)
    for every page and combination of platforms, not per page: uncached, it grows with the
    data (200 ms at 400,000 results)."""
    if not metrics:
        return {}
    metric_ids = [m.pk for m in metrics]
    return by_data_version.get(
        ("relative", tuple(metric_ids)), lambda: _compute_relative(metrics, metric_ids)
    )


def _compute_relative(metrics: list[Metric], metric_ids: list[int]) -> dict[int, dict[str, float]]:
    results = Result.objects.filter(
        metric_id__in=metric_ids, job="", run__status=Run.Status.ACCEPTED, run__variant=""
    ).order_by()
    medians = aggregates.group_medians(
        results, ["metric_id", "run__platform__slug", "run__environment_id"]
    )
    per_metric: dict[int, dict[tuple[str, int], tuple[int, float]]] = {}
    for (metric_id, platform, host), counted in medians.items():
        per_metric.setdefault(metric_id, {})[(platform, host)] = counted
    better = {m.pk: m.better for m in metrics}
    found = {
        metric_id: summaries.median_relative(host_medians, better=better[metric_id])
        for metric_id, host_medians in per_metric.items()
    }
    return found


# Up to this many results the page plots every run and computes statistics in Python
# (bootstrap intervals); above it, the plot shows a sample and PostgreSQL aggregates.
PLOT_LIMIT = 20_000


def benchmark_chart(
    benchmark: Benchmark, filters: ChartFilters, *, figures: bool = True
) -> dict | None:
    """Everything the chart page and the summary API show for one metric; None: no such metric."""
    metrics = list(benchmark.metrics.all())
    metric = next((m for m in metrics if m.slug == filters.metric), None)
    if filters.metric and metric is None:
        return None
    metric = metric or (metrics[0] if metrics else None)
    if metric is None:
        return None
    results = filtered_results(metric, filters)
    # Counting stops past the plot limit: above it, the aggregates count (a full count was
    # one more scan of every result).
    total = results[: PLOT_LIMIT + 1].count()
    large = total > PLOT_LIMIT
    if large:
        series, overhead_rows = large_statistics(results, metric)
        total = sum(s.summary.n for s in series)
        rows = chart_rows(results, every=-(-total // PLOT_LIMIT))
    else:
        rows = chart_rows(results)
        series = summaries.series_summaries(rows)
        overhead_rows = summaries.overheads(rows, better=metric.better)
    data = {
        "benchmark": benchmark,
        "metric": metric,
        "metrics": metrics,
        "filters": filters,
        "total": total,
        "sampled": large,
        "rows": rows,
        "series": series,
        "overheads": overhead_rows,
    }
    if figures:
        data["choices"] = filter_choices(benchmark)
        data["runs_figure"] = charts.runs_figure(rows, metric_name=metric.name, unit=metric.unit)
        data["overhead_figure"] = charts.overhead_figure(overhead_rows)
    return data


def large_statistics(results, metric: Metric):
    """Series and per-host overhead for data too large to bootstrap: PostgreSQL aggregates
    (SQLite, the embedded default, computes the same numbers in Python)."""
    series_keys = ["run__platform_id", "run__release_id"]
    host_keys = ["run__environment_id", "run__platform_id"]
    if connection.vendor == "postgresql":
        by_series = aggregates.group_stats_sql(results, series_keys)
        by_host = aggregates.group_stats_sql(results, host_keys)
    else:
        by_series, by_host = aggregates.group_stats_python(results, series_keys, host_keys)
    platforms = {p.pk: p for p in Platform.objects.all()}
    releases = dict(Release.objects.values_list("pk", "version"))
    # The hosts the aggregate found, by key: joining the runs instead read all of them.
    environments = Environment.objects.in_bulk({environment_id for environment_id, _ in by_host})
    series = [
        summaries.SeriesSummary(
            platforms[platform_id].slug,
            platforms[platform_id].name,
            "" if platforms[platform_id].is_baseline else releases[release_id],
            group.as_summary(),
        )
        for (platform_id, release_id), group in sorted(
            by_series.items(), key=lambda item: (platforms[item[0][0]].position, item[0][1])
        )
    ]
    overhead_rows = []
    baseline_ids = {pk for pk, p in platforms.items() if p.is_baseline}
    for (environment_id, platform_id), group in by_host.items():
        if platform_id in baseline_ids:
            continue
        base = next(
            (g for (e, p), g in by_host.items() if e == environment_id and p in baseline_ids), None
        )
        if base is None:
            continue
        found = stats.overhead_from_intervals(
            (group.median, group.ci_low or group.median, group.ci_high or group.median, group.n),
            (base.median, base.ci_low or base.median, base.ci_high or base.median, base.n),
            better=metric.better,
        )
        platform = platforms[platform_id]
        environment = environments[environment_id]
        overhead_rows.append(
            summaries.OverheadRow(
                platform.slug,
                platform.name,
                environment.fingerprint,
                f"{environment.cpu_model} [{environment.fingerprint[:6]}]",
                found,
                stats.describe_overhead(platform.name, found),
            )
        )
    return series, overhead_rows


def platform_performance(platform_slugs: list[str]) -> dict[str, float]:
    """One 0..1 figure per platform for the recommender: the median, over benchmarks with
    enough runs, of its relative performance versus bare metal (capped at 1)."""
    per_platform: dict[str, list[float]] = {}
    for entry in performance_overview(platform_slugs):
        for slug, relative in entry["relative"].items():
            if relative is not None:
                per_platform.setdefault(slug, []).append(relative)
    return {slug: min(1.0, statistics.median(values)) for slug, values in per_platform.items()}


def performance_verdict(platform_slugs: list[str]) -> verdicts.Verdict:
    """The compare page's verdict in words for the chosen platforms: at most four queries
    (platform names, metrics, per-host medians, and the sources when runs cite any),
    whatever the number of runs; none while the data is unchanged."""
    key = ("verdict", tuple(platform_slugs), get_language())
    return by_data_version.get(key, lambda: _performance_verdict(platform_slugs))


def _performance_verdict(platform_slugs: list[str]) -> verdicts.Verdict:
    related = {verdicts.RELATED[s] for s in platform_slugs if s in verdicts.RELATED}
    wanted = [*platform_slugs, *related, verdicts.BASELINE]
    names = dict(Platform.objects.filter(slug__in=wanted).values_list("slug", "name"))
    metrics = _metrics_in_order()
    reported = {}  # one reported ratio per benchmark and reference platform
    for metric in metrics:
        if metric.relative_to:
            reported.setdefault((metric.benchmark_id, metric.relative_to), metric)
    by_id = {m.pk: m for m in [*_headline_metrics(metrics).values(), *reported.values()]}
    results = Result.objects.filter(
        metric_id__in=list(by_id),
        job="",
        run__status=Run.Status.ACCEPTED,
        run__variant="",
        run__platform__slug__in=wanted,
    ).order_by()
    keys = ["metric_id", "run__platform__slug", "run__environment_id", "run__source__key"]
    # No benchmark defined: nothing to aggregate (PostgreSQL cannot compile an empty IN).
    medians = aggregates.group_medians(results, keys) if by_id else {}
    rows = [
        verdicts.Measurement(
            area=by_id[metric_id].benchmark.area,
            benchmark=by_id[metric_id].benchmark.slug,
            metric=metric_id,
            better=by_id[metric_id].better,
            platform=platform,
            host=host,
            source=source or "",
            n=n,
            median=median,
            relative_to=by_id[metric_id].relative_to,
        )
        for (metric_id, platform, host, source), (n, median) in medians.items()
    ]
    keys = {row.source for row in rows if row.source}
    sources = {
        key: verdicts.SourceInfo(
            key=key,
            publisher=publisher,
            year=published.year if published else None,
            paid_by=(paid_by or publisher) if affiliation in {"vendor", "sponsored"} else "",
        )
        for key, publisher, published, affiliation, paid_by in Source.objects.filter(
            key__in=keys
        ).values_list("key", "publisher", "published", "affiliation", "affiliated_with")
    }
    chosen = {slug: names.get(slug, slug) for slug in platform_slugs}
    return verdicts.verdict(rows, chosen, sources, related_names=names)


def sibling_runs(run: Run, limit: int = 24) -> list[Run]:
    """The other runs of the same benchmark on the same host, newest first: one query."""
    return list(
        Run.objects.filter(environment_id=run.environment_id, benchmark_id=run.benchmark_id)
        .exclude(pk=run.pk)
        .select_related("platform", "release")
        .only("pk", "status", "variant", "submitted_at", "platform__name", "release__version")
        .order_by("-submitted_at", "-pk")[:limit]
    )

"""The catalogue rows a submission refers to: the only database reads validation makes.
Passed to the submission serializer in its context, so a bulk import shares one."""

from __future__ import annotations

from comparisons.models import Platform, Release, Source

from .models import Benchmark, Metric


class Lookups:
    """Catalogue rows a submission refers to, memoized so a bulk import asks only once."""

    def __init__(self) -> None:
        self._platforms: dict[str, tuple[Platform | None, dict[str, Release]]] = {}
        self._benchmarks: dict[str, tuple[Benchmark | None, dict[str, Metric]]] = {}
        self._sources: dict[str, Source | None] = {}

    # One query each: the releases (metrics) with their platform (benchmark) joined in; the
    # parent alone is asked for only when it has no children.
    def platform(self, slug: str) -> tuple[Platform | None, dict[str, Release]]:
        if slug not in self._platforms:
            releases = list(Release.objects.select_related("platform").filter(platform__slug=slug))
            platform = (
                releases[0].platform if releases else Platform.objects.filter(slug=slug).first()
            )
            self._platforms[slug] = (platform, {r.version: r for r in releases})
        return self._platforms[slug]

    def benchmark(self, slug: str) -> tuple[Benchmark | None, dict[str, Metric]]:
        if slug not in self._benchmarks:
            metrics = list(Metric.objects.select_related("benchmark").filter(benchmark__slug=slug))
            benchmark = (
                metrics[0].benchmark if metrics else Benchmark.objects.filter(slug=slug).first()
            )
            self._benchmarks[slug] = (benchmark, {m.slug: m for m in metrics})
        return self._benchmarks[slug]

    def source(self, key: str) -> Source | None:
        if key not in self._sources:
            self._sources[key] = Source.objects.filter(key=key).first()
        return self._sources[key]

    # Asked only to word an error message (an unknown slug): never memoized.
    def platform_slugs(self) -> list[str]:
        return list(Platform.objects.values_list("slug", flat=True))

    def benchmark_slugs(self) -> list[str]:
        return list(Benchmark.objects.values_list("slug", flat=True))

"""Read shapes for benchmark pages and the API, each a fixed number of queries."""

from django.db.models import Prefetch

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

import random
import statistics

import pytest
from django.db import connection
from helpers import make_runs

from benchmarks import aggregates, selectors, stats, summaries
from benchmarks.models import Benchmark, Metric

pytestmark = pytest.mark.usefixtures("benchmark_catalog")
KEYS = ["run__platform_id", "run__release_id"]


def results():
    metric = Metric.objects.get(benchmark__slug="sysbench-cpu", slug="events-per-second")
    return selectors.filtered_results(metric, selectors.ChartFilters())


def test_python_group_statistics_match_the_stats_module():
    make_runs(200)
    (groups,) = aggregates.group_stats_python(results(), KEYS)
    values = sorted(1000 + i % 17 for i in range(200) if i % 2 == 0)
    group = next(g for g in groups.values() if g.n == 100)
    summary = stats.summarize(values)
    assert (group.median, group.q1, group.q3) == (summary.median, summary.q1, summary.q3)
    assert group.mean == pytest.approx(summary.mean)
    assert group.stddev == pytest.approx(summary.stddev)
    assert (group.ci_low, group.ci_high) == stats.order_statistic_median_ci(values)


def test_postgresql_aggregates_give_the_same_numbers_as_python():
    if connection.vendor != "postgresql":
        pytest.skip("percentile_cont/percentile_disc aggregation is the PostgreSQL path")
    make_runs(500)
    sql = aggregates.group_stats_sql(results(), KEYS)
    (python,) = aggregates.group_stats_python(results(), KEYS)
    assert set(sql) == set(python)
    for key, expected in python.items():
        got = sql[key]
        assert got.n == expected.n
        for field in ["mean", "stddev", "minimum", "maximum", "q1", "median", "q3"]:
            assert getattr(got, field) == pytest.approx(getattr(expected, field)), field
        assert (got.ci_low, got.ci_high) == (expected.ci_low, expected.ci_high)


def test_large_data_uses_aggregates_and_a_plot_sample(monkeypatch):
    make_runs(400)
    monkeypatch.setattr(selectors, "PLOT_LIMIT", 100)
    benchmark = Benchmark.objects.get(slug="sysbench-cpu")
    data = selectors.benchmark_chart(benchmark, selectors.ChartFilters())
    assert data["sampled"] is True
    assert data["total"] == 400
    assert len(data["rows"]) <= 100
    assert sum(s.summary.n for s in data["series"]) == 400
    assert data["overheads"][0].result.relative == pytest.approx(1.0)


def test_group_medians_in_sql_and_python_agree():
    make_runs(301)
    keys = ["run__platform__slug", "run__environment_id"]
    found = aggregates.group_medians(results(), keys)
    values = {"alpha": [], "bare-metal": []}
    for i in range(301):
        values[("alpha", "bare-metal")[i % 2]].append(1000 + i % 17)
    assert {platform for platform, _host in found} == set(values)
    for (platform, _host), (n, median) in found.items():
        assert (n, median) == (len(values[platform]), statistics.median(values[platform]))


@pytest.mark.parametrize("better", ["higher", "lower"])
def test_median_relative_from_host_medians_equals_the_per_host_overheads(better):
    rng = random.Random(7)
    rows = []
    # Four hosts: two complete, one without bare metal, one with too few platform runs.
    plan = {"h1": {"kvm": 9, "bare-metal": 7}, "h2": {"kvm": 5, "bare-metal": 4, "xen": 6}}
    plan |= {"h3": {"kvm": 8}, "h4": {"kvm": 2, "bare-metal": 5}}
    for host, counts in plan.items():
        for platform, n in counts.items():
            for _ in range(n):
                value = rng.uniform(50, 150)
                rows.append(summaries.ChartRow(0, value, platform, "", "1", host, "", "", 4, False))
    medians = {}
    for row in rows:
        medians.setdefault((row.platform, row.environment), []).append(row.value)
    from_medians = summaries.median_relative(
        {key: (len(v), statistics.median(v)) for key, v in medians.items()}, better=better
    )
    per_host: dict[str, list[float]] = {}
    for found in summaries.overheads(rows, better=better, resamples=10):
        if found.result is not None:
            per_host.setdefault(found.platform, []).append(found.result.relative)
    assert set(from_medians) == {"kvm", "xen"}
    assert from_medians == {p: statistics.median(v) for p, v in per_host.items()}

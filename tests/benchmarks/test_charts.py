import json

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from helpers import make_runs

from benchmarks import charts, selectors, summaries
from benchmarks.models import Metric, Result, Run
from comparisons import snapshot
from comparisons.models import CatalogVersion


def row(run_id, value, platform="alpha", environment="host-a", release="2.0"):
    return summaries.ChartRow(
        run_id=run_id,
        value=value,
        platform=platform,
        platform_name=platform.title(),
        release="" if platform == "bare-metal" else release,
        environment=environment,
        environment_label=f"{environment} CPU",
        guest_os="Debian 12",
        vcpus=4,
        approximate=False,
    )


def test_runs_figure_has_one_trace_per_platform_with_run_ids_for_clicks():
    rows = [row(1, 10), row(2, 11), row(4, 13), row(3, 12, "bare-metal")]
    figure = charts.runs_figure(rows, metric_name="Events", unit="events/s")
    assert [t["name"] for t in figure["data"]] == ["Alpha 2.0", "Bare-Metal"]
    assert figure["data"][0]["type"] == "box"
    assert figure["data"][0]["customdata"] == [1, 2, 4]
    assert figure["data"][0]["hovertext"][0].startswith("Run 1: Alpha 2.0, 10 events/s")


def test_hover_numbers_are_grouped_not_scientific():
    figure = charts.runs_figure([row(1, 1234567.0)], metric_name="E", unit="IOPS")
    assert figure["data"][0]["hovertext"][0].startswith("Run 1: Alpha 2.0, 1,234,567 IOPS")


def test_the_y_axis_ends_above_the_highest_point():
    figure = charts.runs_figure([row(1, 94.4), row(2, 100)], metric_name="E", unit="%")
    low, high = figure["layout"]["yaxis"]["range"]
    assert low == 0
    assert high == pytest.approx(100 * charts.HEADROOM)
    negative = charts.runs_figure([row(1, -5), row(2, 3)], metric_name="E", unit="ms")
    assert "range" not in negative["layout"]["yaxis"]  # autorange when below zero


def test_fewer_than_three_runs_are_labelled_points_not_a_box():
    figure = charts.runs_figure([row(3, 12, "bare-metal")], metric_name="E", unit="events/s")
    trace = figure["data"][0]
    assert (trace["type"], trace["mode"]) == ("scatter", "markers+text")
    assert trace["text"] == ["n = 1"]
    json.dumps(figure)  # plain data, serializable as is


def test_large_traces_switch_to_webgl():
    rows = [row(i, float(i)) for i in range(charts.WEBGL_THRESHOLD + 1)]
    assert charts.runs_figure(rows, metric_name="m", unit="u")["data"][0]["type"] == "scattergl"


def test_overhead_is_computed_per_host_and_never_across_hosts():
    rows = [row(i, 97 + i % 3) for i in range(6)]
    rows += [row(10 + i, 100, "bare-metal") for i in range(6)]
    rows += [row(20 + i, 50, environment="host-b") for i in range(6)]  # no baseline on host-b
    found = summaries.overheads(rows, better="higher")
    assert len(found) == 1
    assert found[0].environment == "host-a"
    assert found[0].result.relative == pytest.approx(0.98)
    assert found[0].text.startswith("Alpha reaches 98.0% of bare metal")


def test_thin_data_says_so_instead_of_concluding():
    rows = [
        row(1, 90),
        row(2, 100, "bare-metal"),
        row(3, 100, "bare-metal"),
        row(4, 100, "bare-metal"),
    ]
    found = summaries.overheads(rows, better="higher")
    assert found[0].result is None
    assert "Too few runs" in found[0].text
    assert charts.overhead_figure(found)["data"] == []


def test_latency_overhead_inverts_the_ratio():
    rows = [row(i, 200) for i in range(3)] + [row(9 + i, 100, "bare-metal") for i in range(3)]
    assert summaries.overheads(rows, better="lower")[0].result.relative == pytest.approx(0.5)


def queries(client, url) -> int:
    CatalogVersion.forget()  # each request reads the version once, as after a bump
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.usefixtures("benchmark_catalog")
@pytest.mark.parametrize(
    "url",
    [
        "/benchmarks/sysbench-cpu/?metric=events-per-second",
        "/api/v1/benchmarks/sysbench-cpu/summary/?metric=events-per-second",
        "/benchmarks/",
        "/compare/?platforms=alpha,beta",
    ],
)
def test_chart_pages_run_the_same_queries_for_10_and_10000_runs(client, url, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request computes its page
    make_runs(10)
    snapshot.get()  # the catalogue is loaded once per version, whatever the results
    small = queries(client, url)
    make_runs(9990)
    assert queries(client, url) == small


@pytest.mark.usefixtures("benchmark_catalog")
def test_chart_page_shows_statistics_and_overhead(client):
    make_runs(20)
    html = client.get("/benchmarks/sysbench-cpu/").content.decode()
    assert 'data-chart="runs-figure"' in html
    assert 'id="runs-figure" type="application/json"' in html
    assert "of bare metal" in html
    fragment = client.get("/benchmarks/sysbench-cpu/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="charts">')


@pytest.mark.usefixtures("benchmark_catalog")
def test_summary_endpoint_returns_the_same_statistics(client):
    make_runs(20)
    data = client.get("/api/v1/benchmarks/sysbench-cpu/summary/").json()
    series = {s["platform"]: s for s in data["series"]}
    assert series["alpha"]["n"] == 10
    assert data["versus_bare_metal"][0]["platform"] == "alpha"
    assert 0.9 < data["versus_bare_metal"][0]["relative"] < 1.1
    missing = client.get("/api/v1/benchmarks/sysbench-cpu/summary/?metric=nope")
    assert missing.status_code == 404


@pytest.mark.usefixtures("benchmark_catalog")
def test_compare_page_shows_performance_versus_bare_metal(client):
    make_runs(20)
    html = client.get("/compare/?platforms=alpha,beta").content.decode()
    assert "Performance: what the measurements say" in html
    assert "Alpha reached" in html  # the verdict in words
    assert "No same-host comparison of Alpha and Beta yet" in html
    assert "% of bare metal" in html


@pytest.mark.usefixtures("benchmark_catalog")
def test_platform_filter_keeps_the_baseline(client):
    make_runs(20)
    html = client.get("/benchmarks/sysbench-cpu/?platform=beta").content.decode()
    assert "Alpha 2.0" not in html
    assert "Bare metal" in html


@pytest.mark.usefixtures("benchmark_catalog")
def test_performance_on_the_compare_page_follows_every_benchmark_change(settings):
    settings.PAGE_CACHE_SECONDS = 3600  # the overview is kept per catalogue version
    make_runs(20)
    before = selectors.performance_overview(["alpha"])[0]["relative"]["alpha"]
    Result.objects.filter(run__platform__slug="alpha").update(value=F("value") * 2)
    CatalogVersion.bump(results=True)  # what every import, submission and curator decision does
    after = selectors.performance_overview(["alpha"])[0]["relative"]["alpha"]
    assert after == pytest.approx(2 * before)


@pytest.mark.usefixtures("benchmark_catalog")
def test_results_someone_paid_for_can_be_hidden_and_say_who_paid(client):
    from comparisons.models import Source

    make_runs(6)
    sponsored = Source.objects.create(
        key="bench-paid",
        url="https://example.org/paid-study",
        title="A paid study",
        publisher="Lab",
        kind="benchmark-report",
        checked="2026-12-02",
        affiliation="sponsored",
        affiliated_with="Acme",
    )
    Run.objects.filter(platform__slug="alpha").update(source=sponsored)
    everything = client.get("/api/v1/benchmarks/sysbench-cpu/summary/").json()
    independent = client.get("/api/v1/benchmarks/sysbench-cpu/summary/?paid=hide").json()
    assert {s["platform"] for s in everything["series"]} == {"alpha", "bare-metal"}
    assert {s["platform"] for s in independent["series"]} == {"bare-metal"}
    rows = selectors.chart_rows(
        selectors.filtered_results(
            Metric.objects.get(benchmark__slug="sysbench-cpu", slug="events-per-second"),
            selectors.ChartFilters(),
        )
    )
    assert any("(paid for by Acme)" in charts._hover(r, "events/s") for r in rows)


@pytest.mark.usefixtures("benchmark_catalog")
def test_a_chart_without_runs_says_how_to_get_some_and_draws_no_empty_table(client):
    text = client.get("/benchmarks/sysbench-cpu/").content.decode()
    assert "No accepted runs match these filters yet." in text
    assert 'href="/benchmarks/kit/"' in text
    assert "Statistics per platform" not in text


def test_hover_text_is_in_the_readers_language_with_submitted_names_escaped():
    from django.utils import translation

    with translation.override("zh-hans"):
        figure = charts.runs_figure([row(7, 10)], metric_name="E", unit="<b>/s")
    hover = figure["data"][0]["hovertext"][0]
    assert hover.startswith("运行记录 7：Alpha 2.0，10 &lt;b&gt;/s<br>")
    assert "Run" not in hover

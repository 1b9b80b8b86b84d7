import pytest
from helpers import REPO, make_runs

from benchmarks.services import load_benchmarks
from comparisons.services import load_catalog_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def runs(small_catalog_dir):
    bare = small_catalog_dir / "platforms" / "bare-metal.yaml"
    bare.write_text((REPO / "fixtures/catalog/platforms/bare-metal.yaml").read_text())
    load_catalog_dir(small_catalog_dir)
    load_benchmarks(REPO / "fixtures" / "benchmarks" / "benchmarks.yaml")
    make_runs(12)


def test_chart_draws_one_trace_per_platform_and_redraws_on_filter(page, live_server, runs):
    page.goto(f"{live_server.url}/benchmarks/sysbench-cpu/")
    page.wait_for_selector("[data-chart='runs-figure'] .main-svg")
    traces = page.locator("[data-chart='runs-figure'] g.trace.boxes").count()
    assert traces == 2  # alpha and bare metal
    page.evaluate("window.notReloaded = true")
    page.select_option("#metric", "latency-avg")
    page.wait_for_url("**metric=latency-avg**")
    page.wait_for_selector("#charts h2:has-text('Latency')")
    assert page.evaluate("window.notReloaded") is True
    assert "No accepted runs" in page.inner_text("#charts")


def test_clicking_a_point_opens_its_run(page, live_server, runs):
    page.goto(f"{live_server.url}/benchmarks/sysbench-cpu/")
    page.wait_for_selector("[data-chart='runs-figure'] .main-svg")
    box = page.locator("[data-chart='runs-figure'] g.points path.point").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/runs/*/")
    assert page.locator("h1").inner_text().startswith("Run ")

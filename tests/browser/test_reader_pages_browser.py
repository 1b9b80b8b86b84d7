"""What only a browser shows on the reader pages: widths at 390 px, chart headroom, the dark
scheme of native controls and the home page's platform picker."""

import pytest
from helpers import REPO, make_runs

from benchmarks.models import Environment, Run
from benchmarks.services import load_benchmarks
from comparisons.models import FactCheck
from comparisons.services import load_catalog_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
LONG_HOST = "Intel(R) Core(TM)2 Quad CPU Q6600 @ 2.40GHz, exact model not stated in the raw logs"


@pytest.fixture
def catalogue(small_catalog_dir):
    bare = small_catalog_dir / "platforms" / "bare-metal.yaml"
    bare.write_text((REPO / "fixtures/catalog/platforms/bare-metal.yaml").read_text())
    load_catalog_dir(small_catalog_dir)
    load_benchmarks(REPO / "fixtures" / "benchmarks" / "benchmarks.yaml")
    make_runs(12)
    Environment.objects.update(cpu_model=LONG_HOST)
    FactCheck.objects.create(
        slug="long-source",
        statement="Alpha cannot live-migrate.",
        verdict="wrong",
        explanation="It can.",
        concerns=[{"platform": "alpha", "feature": "live-migration"}],
    )


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, color_scheme="dark")
    page = context.new_page()
    yield page
    context.close()


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(
    "path",
    ["/", "/benchmarks/sysbench-cpu/", "/platforms/alpha/", "/fact-checks/", "run"],
)
def test_reader_pages_do_not_scroll_sideways_at_390_px(phone, live_server, catalogue, path):
    if path == "run":
        path = Run.objects.order_by("pk").first().get_absolute_url()
    phone.goto(f"{live_server.url}{path}")
    phone.wait_for_load_state("networkidle")
    assert overflow(phone) == 0, path


def test_chart_at_390_px_fits_and_every_point_sits_below_the_top_of_the_axis(
    phone, live_server, catalogue
):
    phone.goto(f"{live_server.url}/benchmarks/sysbench-cpu/")
    phone.wait_for_selector("[data-chart='runs-figure'] .main-svg")
    chart = "document.querySelector(\"[data-chart='runs-figure']\")"
    top = phone.evaluate(f"{chart}._fullLayout.yaxis.range[1]")
    highest = phone.evaluate(f"Math.max(...{chart}.data.flatMap(t => t.y))")
    assert top > highest
    width = phone.evaluate(f"{chart}.getBoundingClientRect().right")
    assert width <= PHONE["width"]
    assert overflow(phone) == 0


def test_native_dropdowns_are_dark_in_the_dark_scheme(phone, live_server, catalogue):
    phone.goto(f"{live_server.url}/fact-checks/")
    scheme = phone.evaluate("getComputedStyle(document.querySelector('select')).colorScheme")
    assert "dark" in scheme
    background = phone.evaluate(
        "getComputedStyle(document.querySelector('select')).backgroundColor"
    )
    red, green, blue = (int(v) for v in background[background.index("(") + 1 : -1].split(",")[:3])
    assert max(red, green, blue) < 128, background


def test_home_picker_leads_to_the_comparison(page, live_server, catalogue):
    page.goto(f"{live_server.url}/")
    page.check("#home-pick-alpha")
    page.check("#home-pick-beta")
    page.click(".home-picker button[type=submit]")
    page.wait_for_url("**/compare/?platforms=alpha%2Cbeta")
    assert page.locator("#matrix").count() == 1
    assert page.locator("link[rel=icon]").count() >= 1
    favicon = page.request.get(f"{live_server.url}/favicon.ico")
    assert favicon.status == 200
    assert favicon.body()[:4] == b"\x00\x00\x01\x00"


def test_recommendation_verdict_wraps_at_desktop_width(page, live_server, catalogue):
    from comparisons.models import Scenario

    Scenario.objects.create(
        slug="wide",
        name="Wide",
        rationale="Because.",
        category_weights={"cpu": 1, "mobility": 1},
    )
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/recommend/wide/")
    verdict = page.locator("#result p.verdict")
    assert verdict.evaluate("el => getComputedStyle(el).display") == "block"
    assert overflow(page) == 0


def test_on_a_phone_the_ranking_is_one_tap_away(phone, live_server, catalogue):
    from comparisons.models import Scenario

    Scenario.objects.create(
        slug="tap", name="Tap", rationale="Because.", category_weights={"cpu": 1}
    )
    phone.goto(f"{live_server.url}/recommend/tap/")
    phone.click(".jump-to-result a")
    top = phone.evaluate("document.getElementById('result').getBoundingClientRect().top")
    assert -1 <= top < PHONE["height"] / 2  # scrolled to it (sub-pixel rounding)


def test_recommendation_weights_fit_at_320_px(browser, live_server, catalogue):
    from comparisons.models import Scenario

    weights = {c: 1 for c in ("cpu", "mobility", "memory", "storage", "networking")}
    Scenario.objects.create(
        slug="narrow", name="Narrow", rationale="Because.", category_weights=weights
    )
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(f"{live_server.url}/recommend/narrow/")
    assert overflow(page) == 0
    context.close()

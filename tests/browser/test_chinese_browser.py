import pytest
from helpers import REPO, generated_catalog, write_catalog

from comparisons.models import Scenario
from comparisons.services import load_catalog_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = REPO / "var" / "screenshots"
# UI words that must not be left in English on a Chinese page.
ENGLISH_UI = [
    "Compare platforms",
    "Differences only",
    "Hide rows with unknowns",
    "Are they clearly different?",
    "Export this view",
    "Category weights",
    "Must-haves",
    "How sure:",
    "Breakdown and reasons",
    "Benchmarks",
    "Fact checks",
]


@pytest.fixture
def chinese_catalog(tmp_path):
    catalog = generated_catalog(2, 6)
    for category in catalog["categories.yaml"]:
        category["name_zh"] = f"类别 {category['slug'][-1]}"
        for feature in category["features"]:
            feature["name_zh"] = f"功能 {feature['slug'][-3:]}"
    load_catalog_dir(write_catalog(tmp_path / "catalog", catalog))
    Scenario.objects.create(
        slug="s",
        name="Scenario",
        name_zh_hans="测试场景",
        rationale="Because.",
        rationale_zh_hans="因为。",
        category_weights={"cat-0": 1, "cat-1": 1},
    )


@pytest.fixture
def chinese_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_extra_http_headers({"Accept-Language": "zh-hans"})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(
    ("path", "name"),
    [("/compare/?platforms=plat-0,plat-1", "matrix"), ("/recommend/s/", "recommendation")],
)
def test_chinese_pages_have_no_untranslated_ui(
    chinese_page, live_server, chinese_catalog, path, name
):
    chinese_page.goto(f"{live_server.url}{path}")
    assert chinese_page.get_attribute("html", "lang") == "zh-Hans"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chinese_page.screenshot(path=str(SCREENSHOTS / f"zh-hans-{name}.png"), full_page=True)
    text = chinese_page.inner_text("body")
    left = [phrase for phrase in ENGLISH_UI if phrase in text]
    assert left == []
    assert "功能" in text or "测试场景" in text

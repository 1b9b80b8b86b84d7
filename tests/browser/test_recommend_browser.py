import pytest
from helpers import generated_catalog, write_catalog

from comparisons.models import Scenario
from comparisons.services import load_catalog_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scenario(tmp_path):
    # plat-0 fully supports the features of cat-0 and cat-2, plat-1 those of cat-1.
    load_catalog_dir(write_catalog(tmp_path / "catalog", generated_catalog(2, 3)))
    Scenario.objects.create(
        slug="weights",
        name="Weights",
        rationale="Test.",
        category_weights={"cat-0": 0, "cat-1": 1, "cat-2": 0},
    )


def first_ranked(page) -> str:
    return page.locator("li.ranked").first.get_attribute("id")


def test_moving_a_slider_rescores_in_place_and_updates_the_url(page, live_server, scenario):
    page.goto(f"{live_server.url}/recommend/weights/")
    assert first_ranked(page) == "rank-plat-1"
    page.evaluate("window.notReloaded = true")
    page.focus("#w-cat-0")
    page.keyboard.press("End")  # the slider's maximum, 5
    page.wait_for_url("**w-cat-0=5**")
    page.wait_for_function("document.querySelector('li.ranked').id === 'rank-plat-0'")
    assert page.evaluate("window.notReloaded") is True
    assert page.inner_text("output[for=w-cat-0]") == "5"
    page.reload()
    assert first_ranked(page) == "rank-plat-0"  # the weighting lives in the URL

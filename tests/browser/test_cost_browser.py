import pytest
from price_helpers import load_price_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def prices():
    load_price_list()


def test_changing_an_input_recomputes_in_place_and_keeps_the_url(page, live_server, prices):
    page.goto(f"{live_server.url}/cost/")
    page.wait_for_selector("[data-chart='cost-figure-usd'] .main-svg")  # the chart is drawn
    page.evaluate("window.notReloaded = true")
    page.fill("#id_hosts", "1")
    page.dispatch_event("#id_hosts", "change")
    page.wait_for_url("**hosts=1**")
    page.wait_for_selector("#items-hyper-v")
    assert page.evaluate("window.notReloaded") is True
    assert "disputed" in page.inner_text("#items-vmware-esxi + .table-scroll")
    page.reload()
    assert page.input_value("#id_hosts") == "1"


def test_the_form_works_without_javascript(nojs_page, live_server, prices):
    nojs_page.goto(f"{live_server.url}/cost/")
    nojs_page.fill("#id_windows_vms", "3")
    nojs_page.fill("#id_hosts", "1")
    nojs_page.fill("#id_cores", "8")
    nojs_page.click("button[type=submit]")
    nojs_page.wait_for_url("**windows_vms=3**")
    # 1 host x 2 x 8 = 16 cores: 2 Standard stacks, USD 2,138.00 on Hyper-V.
    assert "USD 2,138.00" in nojs_page.inner_text("#result")


@pytest.fixture
def costed_scenario(tmp_path):
    from price_helpers import load_costed_scenario

    return load_costed_scenario(tmp_path / "catalog")


def test_moving_the_cost_slider_changes_the_ranking(page, live_server, costed_scenario):
    page.goto(f"{live_server.url}/recommend/costed/")
    first = page.locator("li.ranked").first
    assert first.get_attribute("id") == "rank-vmware-esxi"
    assert "estimated cost USD 94,600.00" in first.inner_text()
    page.focus("#w-licensing")
    page.keyboard.press("End")  # the slider's maximum, 5
    page.wait_for_url("**w-licensing=5**")
    page.wait_for_function("document.querySelector('li.ranked').id === 'rank-hyper-v'")
    page.reload()
    assert page.locator("li.ranked").first.get_attribute("id") == "rank-hyper-v"

import pytest
from browsing import back
from helpers import write_catalog

from comparisons.services import load_catalog_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog(tmp_path, small_catalog):
    # One more feature on which both platforms agree, so "differences only" hides a row.
    small_catalog["categories.yaml"][0]["features"].append(
        {"slug": "vtpm", "name": "Virtual TPM", "kind": "support"}
    )
    for platform, release in (("alpha", "1.0"), ("beta", "7")):
        small_catalog[f"claims/{platform}.yaml"].append(
            {
                "feature": "vtpm",
                "from": release,
                "support": "full",
                "status": "published",
                "citations": [{"source": "alpha-docs", "quote": "vTPM."}],
            }
        )
    load_catalog_dir(write_catalog(tmp_path / "catalog", small_catalog))


def rows(page) -> list[str]:
    return page.locator("table.matrix tbody tr[id^=feature-]").evaluate_all(
        "rows => rows.map(r => r.id)"
    )


def test_filters_swap_the_table_in_place_and_keep_state_in_the_url(page, live_server, catalog):
    page.goto(f"{live_server.url}/compare/?platforms=alpha,beta")
    assert "feature-vtpm" in rows(page)
    page.evaluate("window.notReloaded = true")

    page.check("#diff")
    page.wait_for_url("**diff=1**")
    page.wait_for_function("!document.querySelector('#feature-vtpm')")
    assert "feature-vtpm" not in rows(page)
    assert page.evaluate("window.notReloaded") is True

    page.click("summary:has-text('Categories')")
    page.check("#cat-mobility")
    page.wait_for_url("**category=mobility**")
    assert page.evaluate("window.notReloaded") is True

    page.locator(".cell-link").first.click()
    page.wait_for_selector("#claim-panel article.claim")
    assert "Sources" in page.inner_text("#claim-panel")

    back(page)
    assert "category=mobility" not in page.url
    assert "diff=1" in page.url
    back(page)
    assert "diff=1" not in page.url
    page.wait_for_selector("#feature-vtpm")


def test_without_javascript_the_form_and_links_still_work(nojs_page, live_server, catalog):
    nojs_page.goto(f"{live_server.url}/compare/?platforms=alpha,beta")
    nojs_page.check("#diff")
    nojs_page.click("button:has-text('Apply')")
    nojs_page.wait_for_url("**diff=1**")
    assert "platforms=alpha%402.0%2Cbeta%407" in nojs_page.url
    assert "feature-vtpm" not in rows(nojs_page)
    nojs_page.locator(".cell-link").first.click()
    nojs_page.wait_for_selector("article.claim")
    assert "/claims/" in nojs_page.url


def test_matrix_is_keyboard_reachable_and_scrolls_on_a_phone(browser, live_server, catalog):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/compare/?platforms=alpha,beta")
    overflow = page.evaluate("getComputedStyle(document.querySelector('.table-scroll')).overflowX")
    assert overflow == "auto"
    position = page.evaluate(
        "getComputedStyle(document.querySelector('.matrix thead th')).position"
    )
    assert position == "sticky"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cell-link')"):
            break
    else:
        pytest.fail("No matrix cell link is reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-panel article.claim")
    context.close()


def test_a_tap_outside_the_claim_sheet_closes_it_and_a_tap_inside_does_not(
    browser, live_server, catalog
):
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/compare/?platforms=alpha,beta")
    page.locator("table.matrix .cell-link").first.tap()
    page.wait_for_selector("#claim-panel article.claim")
    page.locator("#claim-panel article.claim").tap()
    assert page.is_visible("#claim-panel")
    page.locator("h1").tap()
    page.wait_for_selector("#claim-panel", state="hidden")
    context.close()

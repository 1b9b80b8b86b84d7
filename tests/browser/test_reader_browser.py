"""The main pages as a reader meets them: a safety net of screenshots and layout facts at
1400 and 390 px in light and dark, axe-core in both languages and both colour schemes, and the
compare page's keyboard, state and screen-reader behaviour.

Screenshots go to a temporary directory (printed with -s) so a person can look at them."""

import tempfile
from pathlib import Path

import pytest
from browsing import back
from django.core.management import call_command
from helpers import REPO

pytestmark = pytest.mark.browser

AXE = (REPO / "static" / "vendor" / "axe-core" / "axe.min.js").read_text()
COMPARE = "/compare/?platforms=hyper-v,vmware-esxi"
PAGES = {
    "home": ("/", "main h1"),
    "compare": (COMPARE, "table.matrix"),
    "platform": ("/platforms/hyper-v/", "main table"),
    "chart": ("/benchmarks/miroka2018-memsweep/", "[data-chart] .main-svg"),
    "recommend": ("/recommend/enterprise-ha-cluster/", "meter.bar"),
    "cost": ("/cost/", "[data-chart] .main-svg"),
    "migrate": ("/migrate/", "#grid"),
    "fact-checks": ("/fact-checks/", "main h1"),
}
# Collected from the first script on: CSP violations and console errors of the whole visit.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
DUPLICATE_IDS = """() => {
  const seen = {}, twice = [];
  document.querySelectorAll('[id]').forEach(el => {
    if (seen[el.id] && !twice.includes(el.id)) twice.push(el.id);
    seen[el.id] = true;
  });
  return twice;
}"""
WIDER_THAN_PAGE = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth)
  .slice(0, 5).map(el => el.tagName + '.' + el.className + '#' + el.id)"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


@pytest.fixture(scope="module")
def shared_data(shared_db):
    """The shipped catalogue, prices, migration paths and published benchmark results, loaded
    once: every test here only reads them (`shared_server` refuses writes)."""
    for command, *args in (
        ("load_catalog",),
        ("load_migrations",),
        ("load_prices",),
        ("load_benchmarks",),
        ("import_runs", str(REPO / "fixtures" / "benchmarks" / "published")),
    ):
        call_command(command, *args, verbosity=0)


@pytest.fixture(scope="module")
def shots():
    path = Path(tempfile.mkdtemp(prefix="virtcompare-screens-"))
    print(f"\nscreenshots: {path}")
    return path


def _context(browser, *, width=1400, scheme="light", language="en"):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme=scheme,
        locale="zh-CN" if language == "zh-hans" else "en-US",
        has_touch=width < 600,
    )
    context.set_extra_http_headers({"Accept-Language": language})
    context.add_init_script(WATCH)
    return context


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _open(page, url, ready):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_selector(ready, timeout=15_000)


def _layout_facts(page, name):
    """What every page must keep: no sideways scrolling, unique ids, no CSP violation."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(WIDER_THAN_PAGE) if overflow > 0 else []
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px: {wide}"
    assert page.evaluate(DUPLICATE_IDS) == [], name
    assert page.evaluate("window.__violations") == [], name


def test_main_pages_keep_their_layout_at_both_widths_in_both_schemes(browser, shared_server, shots):
    for scheme in ("light", "dark"):
        for width in (1400, 390):
            context = _context(browser, width=width, scheme=scheme)
            page = context.new_page()
            errors = _watch(page)
            for name, (path, ready) in PAGES.items():
                _open(page, f"{shared_server.url}{path}", ready)
                _layout_facts(page, f"{name} at {width}px {scheme}")
                page.screenshot(path=str(shots / f"{name}-{width}-{scheme}.png"))
            assert errors == [], f"console errors at {width}px {scheme}: {errors}"
            context.close()


def test_main_pages_have_no_serious_axe_violation_in_either_language_or_scheme(
    browser, shared_server
):
    found = {}
    for language in ("en", "zh-hans"):
        for scheme in ("light", "dark"):
            context = _context(browser, scheme=scheme, language=language)
            page = context.new_page()
            for name, (path, ready) in PAGES.items():
                _open(page, f"{shared_server.url}{path}", ready)
                page.evaluate(AXE)  # evaluated, not injected: the page's CSP stays strict
                violations = page.evaluate(AXE_RUN)
                if violations:
                    found[f"{name} {language} {scheme}"] = violations
            context.close()
        # On a phone, three platforms, with a claim open in the bottom sheet.
        context = _context(browser, width=390, language=language)
        page = context.new_page()
        _open(page, f"{shared_server.url}{COMPARE},proxmox-ve", "table.matrix")
        page.locator(".matrix .cell-link").nth(30).tap()
        page.wait_for_selector("#claim-panel article.claim")
        page.evaluate(AXE)
        if violations := page.evaluate(AXE_RUN):
            found[f"compare 390px {language} panel open"] = violations
        context.close()
    assert found == {}


def test_matrix_header_and_feature_column_stay_in_view_while_it_scrolls(browser, shared_server):
    context = _context(browser, width=390)
    page = context.new_page()
    _open(page, f"{shared_server.url}/compare/?platforms=hyper-v,vmware-esxi,proxmox-ve", "table")
    box = page.locator(".matrix-scroll")
    box.scroll_into_view_if_needed()
    box.evaluate("el => { el.scrollTop = 2000; el.scrollLeft = 400; }")
    header = page.locator(".matrix thead th").nth(1).bounding_box()
    region = box.bounding_box()
    assert abs(header["y"] - region["y"]) < 3  # the header row sits at the top of the box
    feature = page.locator(".matrix tbody th.feature-col").nth(20).bounding_box()
    assert abs(feature["x"] - region["x"]) < 3  # the feature column at its left edge
    context.close()


def test_a_pair_shows_both_platform_columns_on_a_phone(browser, shared_server):
    context = _context(browser, width=390)
    page = context.new_page()
    _open(page, f"{shared_server.url}{COMPARE}", "table.matrix")
    region = page.locator(".matrix-scroll").bounding_box()
    for column in (1, 2):
        cell = page.locator(".matrix thead th").nth(column).bounding_box()
        assert cell["x"] + cell["width"] <= region["x"] + region["width"] + 1
    context.close()


def test_claim_panel_opens_in_view_takes_focus_and_gives_it_back(browser, shared_server):
    for width in (1400, 390):
        context = _context(browser, width=width)
        page = context.new_page()
        _open(page, f"{shared_server.url}{COMPARE}", "table.matrix")
        cell = page.locator(".matrix .cell-link").nth(40)
        cell.scroll_into_view_if_needed()
        if width < 600:
            cell.tap()
        else:
            cell.focus()
            page.keyboard.press("Enter")
        page.wait_for_selector("#claim-panel article.claim")
        assert page.evaluate("document.activeElement.id") == "claim-panel"
        panel = page.locator("#claim-panel").bounding_box()
        assert panel["y"] >= 0
        assert panel["y"] < 900 - 200  # at least 200 px of the panel on screen
        assert panel["x"] + panel["width"] <= width
        page.wait_for_function("() => document.getElementById('announcer').textContent !== ''")
        assert "·" in page.inner_text("#announcer")  # "<feature> · <platform> <release>"
        page.keyboard.press("Escape")
        assert page.locator("#claim-panel").is_hidden()
        href = cell.get_attribute("href")
        assert page.evaluate("document.activeElement.getAttribute('href')") == href
        context.close()


def test_swaps_update_title_and_announce_without_duplicate_ids(browser, shared_server):
    context = _context(browser)
    page = context.new_page()
    _open(page, f"{shared_server.url}{COMPARE}", "table.matrix")
    page.check("#pick-proxmox-ve")
    page.wait_for_function("() => document.title.includes('Proxmox')")
    # The live region reads the swapped matrix's own summary ("N of M features shown.").
    page.wait_for_function(
        "() => /\\d+ of \\d+ features shown/.test(document.getElementById('announcer').textContent)"
    )
    assert page.evaluate(DUPLICATE_IDS) == []
    assert page.locator("#announcer").count() == 1
    # "×" removes a platform in place: heading, form and matrix stay, focus stays in the page.
    page.locator("a.remove").first.click()
    page.wait_for_function("() => document.querySelectorAll('.matrix thead th').length === 3")
    assert page.locator("main h1").count() == 1
    assert page.locator("#compare-form").count() == 1
    assert page.evaluate("document.activeElement.classList.contains('matrix-scroll')")
    assert page.evaluate(DUPLICATE_IDS) == []
    assert page.evaluate("window.__violations") == []

    page.goto(f"{shared_server.url}/recommend/enterprise-ha-cluster/")
    for value in ("5", "0"):
        page.locator("input[type=range]").first.evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('change', {bubbles: true})); }",
            value,
        )
        page.wait_for_function(
            "v => new URL(location.href).searchParams.getAll(document.querySelector("
            "'input[type=range]').name).includes(v)",
            arg=value,
        )
        page.wait_for_load_state("networkidle")
        assert page.locator("#result #result").count() == 0  # the result never nests
        assert page.evaluate(DUPLICATE_IDS) == []
    assert page.evaluate("window.__violations") == []
    context.close()


def test_back_restores_the_search_box_and_sliders_without_csp_violations(browser, shared_server):
    context = _context(browser)
    page = context.new_page()
    _open(page, f"{shared_server.url}{COMPARE}", "table.matrix")
    page.fill("#q", "migration")
    page.wait_for_url("**q=migration**")
    page.check("#diff")
    page.wait_for_url("**diff=1**")
    back(page)
    assert "diff=1" not in page.url
    assert page.input_value("#q") == "migration"
    assert not page.is_checked("#diff")
    assert page.evaluate("window.__violations") == []

    page.goto(f"{shared_server.url}/recommend/enterprise-ha-cluster/")
    slider = page.locator("input[type=range]").first
    name = slider.get_attribute("name")
    for value in ("4.5", "1"):
        slider.evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('change', {bubbles: true})); }",
            value,
        )
        page.wait_for_url(f"**{name}={value}**")
    back(page)
    assert page.locator("input[type=range]").first.input_value() == "4.5"
    assert page.evaluate("window.__violations") == []
    context.close()


def test_switching_language_keeps_the_filters_chosen_in_place(browser, shared_server):
    context = _context(browser)
    page = context.new_page()
    _open(page, f"{shared_server.url}{COMPARE}", "table.matrix")
    page.check("#diff")
    page.wait_for_url("**diff=1**")
    page.click(".lang-switch a[hreflang=zh-Hans]")
    page.wait_for_selector("html[lang=zh-Hans]")
    assert "diff=1" in page.url
    assert page.is_checked("#diff")
    context.close()


@pytest.mark.parametrize(
    ("path", "ready", "control", "value", "region"),
    [
        ("/benchmarks/miroka2018-memsweep/", "[data-chart] .main-svg", "#paid", None, "#charts"),
        ("/cost/", "[data-chart] .main-svg", "#id_hosts", "3", "#result"),
        ("/migrate/", "#grid", "#from", "hyper-v", "#grid"),
    ],
)
def test_every_swap_keeps_ids_unique_and_the_csp_clean(
    browser, shared_server, path, ready, control, value, region
):
    context = _context(browser)
    page = context.new_page()
    errors = _watch(page)
    _open(page, f"{shared_server.url}{path}", ready)
    page.evaluate("window.notReloaded = true")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        if value is None:
            page.check(control)
        elif page.locator(control).evaluate("el => el.tagName") == "SELECT":
            page.select_option(control, value)
        else:
            page.fill(control, value)
            page.dispatch_event(control, "change")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.notReloaded") is True  # swapped, not reloaded
    assert page.locator(region).count() == 1
    assert page.locator(f"{region} {region}").count() == 0
    assert page.evaluate(DUPLICATE_IDS) == []
    assert page.evaluate("window.__violations") == []
    assert errors == []
    context.close()

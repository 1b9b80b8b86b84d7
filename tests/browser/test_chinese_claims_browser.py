"""The evidence in Chinese: the shipped catalogue's Hyper-V vs ESXi matrix and a claim page."""

import re

import pytest
import yaml
from helpers import REPO, load_shipped_catalog

from comparisons.models import Claim

pytestmark = pytest.mark.browser
CATALOG = REPO / "fixtures" / "catalog"
SCREENSHOTS = REPO / "var" / "screenshots"
CJK = re.compile("[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def shared_data(shared_db):
    """The shipped catalogue, loaded once: both tests only read it."""
    load_shipped_catalog()


def _context(browser, language, width):
    locale = "zh-CN" if language == "zh-hans" else "en-US"
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    context.set_extra_http_headers({"Accept-Language": language})
    return context


def _english_texts(platform):
    claims = yaml.safe_load((CATALOG / "claims" / f"{platform}.yaml").read_text())
    return [c["text"] for c in claims if c.get("text") and c.get("status") == "published"]


def test_compare_page_in_chinese_shows_no_english_claim_text(browser, shared_server):
    context = _context(browser, "zh-hans", 1400)
    page = context.new_page()
    page.goto(f"{shared_server.url}/compare/?platforms=hyper-v,vmware-esxi")
    cells = page.locator("#matrix .cell-text").all_inner_texts()
    assert len(cells) >= 20  # every text feature of both platforms
    assert all(CJK.search(text) for text in cells), [t for t in cells if not CJK.search(t)]
    body = page.inner_text("body")
    shown_english = [
        text
        for platform in ("hyper-v", "vmware-esxi")
        for text in _english_texts(platform)
        if text in body
    ]
    assert shown_english == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "compare-hyperv-esxi-zh-1400.png"), full_page=False)
    context.close()


def test_claim_page_shows_the_note_in_the_readers_language(browser, shared_server):
    claim = Claim.objects.get(
        platform__slug="hyper-v", feature__slug="memory-overcommit", edition=None
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for language, width in [("zh-hans", 1400), ("zh-hans", 390), ("en", 390)]:
        context = _context(browser, language, width)
        page = context.new_page()
        page.goto(f"{shared_server.url}/claims/{claim.pk}/")
        body = page.inner_text("body")
        if language == "zh-hans":
            assert claim.note_zh_hans in body
            assert claim.note_en not in body
        else:
            assert claim.note_en in body
        page.screenshot(path=str(SCREENSHOTS / f"claim-{language}-{width}.png"), full_page=True)
        context.close()

"""From the compare page of ESXi vs Proxmox VE to the migration page and back, in English
and Chinese; the grid's filter swaps the table and keeps its state in the URL."""

import copy
import re

import pytest
from helpers import REPO, SMALL_CATALOG, write_catalog

from comparisons.services import load_catalog_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = REPO / "var" / "screenshots"
RENAME = {"alpha": "vmware-esxi", "beta": "proxmox-ve"}
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def esxi_and_proxmox(tmp_path):
    """The small test catalogue with its two platforms under the real slugs, and one path."""
    from migration_paths.services import load_migrations_dir

    catalog = {}
    for rel, data in copy.deepcopy(SMALL_CATALOG).items():
        for old, new in RENAME.items():
            rel = rel.replace(f"/{old}.yaml", f"/{new}.yaml")
        if rel.startswith("platforms/"):
            data["slug"] = RENAME.get(data["slug"], data["slug"])
        catalog[rel] = data
    catalog["platforms/vmware-esxi.yaml"]["name"] = "VMware ESXi"
    catalog["platforms/proxmox-ve.yaml"]["name"] = "Proxmox VE"
    load_catalog_dir(write_catalog(tmp_path / "catalog", catalog))
    migrations = {
        "vmware-esxi.yaml": [
            {
                "to": "proxmox-ve",
                "summary": "An import wizard.",
                "summary_zh": "导入向导。",
                "methods": [
                    {
                        "slug": "wizard",
                        "tool": "Import wizard",
                        "kind": "vendor-tool",
                        "mode": "cold",
                        "status": "published",
                        "statements": [
                            {
                                "topic": "mode",
                                "text": "The VM is off during the copy.",
                                "text_zh": "复制期间虚拟机关机。",
                                "citations": [{"source": "alpha-docs", "quote": "Off."}],
                            }
                        ],
                    }
                ],
            }
        ],
        "proxmox-ve.yaml": [{"to": "vmware-esxi", "summary": "No documented direct path."}],
    }
    load_migrations_dir(write_catalog(tmp_path / "migrations", migrations))


@pytest.mark.parametrize(
    ("language", "link", "heading", "back"),
    [
        (
            "en",
            "From VMware ESXi to Proxmox VE",
            "From VMware ESXi to Proxmox VE",
            "Compare their features",
        ),
        (
            "zh-hans",
            "从 VMware ESXi 到 Proxmox VE",
            "从 VMware ESXi 到 Proxmox VE",
            "比较它们的功能",
        ),
    ],
)
def test_compare_to_migration_page_and_back(
    browser, live_server, esxi_and_proxmox, language, link, heading, back
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_extra_http_headers({"Accept-Language": language})
    page = context.new_page()
    page.goto(f"{live_server.url}/compare/?platforms=vmware-esxi,proxmox-ve")
    page.get_by_role("link", name=link).first.click()
    page.wait_for_url(re.compile(r"/migrate/vmware-esxi/proxmox-ve/$"))
    assert heading in page.inner_text("h1")
    text = page.inner_text("main")
    assert (
        "The VM is off during the copy." if language == "en" else "复制期间虚拟机关机。"
    ) in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"migrate-pair-{language}.png"), full_page=True)
    page.get_by_role("link", name=back).click()
    page.wait_for_url(re.compile(r"/compare/\?platforms=vmware-esxi,proxmox-ve$"))
    assert page.locator("table.matrix").count() == 1
    context.close()


def test_grid_filter_swaps_the_table_and_keeps_the_url(page, live_server, esxi_and_proxmox):
    page.add_init_script(WATCH)
    response = page.goto(f"{live_server.url}/migrate/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("table.migrate-grid tbody tr").count() == 2
    page.select_option("#from", "proxmox-ve")
    page.wait_for_url(re.compile(r"/migrate/\?from=proxmox-ve$"))
    page.wait_for_function("document.querySelectorAll('table.migrate-grid tbody tr').length == 1")
    assert "No documented path" in page.inner_text("#grid")
    assert page.evaluate("window.__violations") == []
    page.reload()
    assert page.locator("#from").input_value() == "proxmox-ve"
    assert page.locator("table.migrate-grid tbody tr").count() == 1


def test_thin_and_documented_pair_pages_work_under_the_csp(page, live_server, esxi_and_proxmox):
    page.add_init_script(WATCH)
    page.goto(f"{live_server.url}/migrate/proxmox-ve/vmware-esxi/")
    assert "No documented direct path" in page.inner_text("#pair-detail")
    page.goto(f"{live_server.url}/migrate/vmware-esxi/proxmox-ve/")
    assert page.locator("article.method").count() == 1
    assert page.evaluate("window.__violations") == []

import copy

import pytest
from helpers import REPO, SMALL_CATALOG, make_runs, write_catalog

from benchmarks.services import load_benchmarks
from comparisons.models import Scenario
from comparisons.services import load_catalog_dir

pytestmark = pytest.mark.browser
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def shared_data(shared_db, tmp_path_factory):
    """The small catalogue, benchmarks, runs and a scenario, loaded once: the tests only read."""
    catalog_dir = write_catalog(tmp_path_factory.mktemp("catalog"), copy.deepcopy(SMALL_CATALOG))
    bare = catalog_dir / "platforms" / "bare-metal.yaml"
    bare.write_text((REPO / "fixtures/catalog/platforms/bare-metal.yaml").read_text())
    load_catalog_dir(catalog_dir)
    load_benchmarks(REPO / "fixtures" / "benchmarks" / "benchmarks.yaml")
    make_runs(12)
    Scenario.objects.create(slug="s", name="S", rationale="R", category_weights={"mobility": 1})


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/compare/?platforms=alpha,beta", "table.matrix"),
        ("/benchmarks/sysbench-cpu/", "[data-chart='runs-figure'] .main-svg"),
        ("/recommend/s/", "meter.bar"),
        ("/platforms/alpha/", "table"),
        ("/api/docs/", "#swagger-ui .info"),
        ("/api/redoc/", "redoc [role=navigation], .api-content"),
    ],
)
def test_pages_work_under_the_content_security_policy(page, shared_server, path, ready):
    page.add_init_script(WATCH)
    response = page.goto(f"{shared_server.url}{path}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(ready, timeout=15_000)
    if path.startswith("/compare/"):
        page.locator(".cell-link").first.click()
        page.wait_for_selector("#claim-panel article.claim")
    violations = page.evaluate("window.__violations")
    # Redoc's footer logo points at its CDN: blocked, so the docs make no outside request.
    violations = [v for v in violations if "cdn.redoc.ly" not in v]
    assert violations == []

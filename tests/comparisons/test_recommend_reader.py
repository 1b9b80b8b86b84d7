"""The recommendation page as a reader meets it: one language, linked exclusions, and what a
feature with no claim does to a score, said in words."""

import pytest
from helpers import generated_catalog, write_catalog

from comparisons import scoring
from comparisons.models import Claim, Scenario
from comparisons.services import load_catalog_dir

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(tmp_path):
    load_catalog_dir(write_catalog(tmp_path / "g", generated_catalog(2, 6)))


def make_scenario(**overrides) -> Scenario:
    fields = {
        "slug": "test-scenario",
        "name": "Test scenario",
        "name_zh_hans": "测试场景",
        "rationale": "Because.",
        "rationale_zh_hans": "因为。",
        "category_weights": {"cat-0": 1, "cat-1": 1, "cat-2": 1},
        "unknown_policy": "penalize",
    }
    fields.update(overrides)
    return Scenario.objects.create(**fields)


def test_english_pages_show_no_chinese_subtitle_or_rationale(client, catalogue):
    make_scenario()
    for url in ("/recommend/", "/recommend/test-scenario/"):
        html = client.get(url).content.decode()
        assert "测试场景" not in html
        assert "因为。" not in html
    chinese = client.get("/recommend/test-scenario/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "测试场景" in chinese.content.decode()


def test_an_exclusion_links_to_the_claim_it_rests_on(client, catalogue):
    make_scenario(must_have=["feat-0-0"])
    claim = Claim.objects.get(platform__slug="plat-1", feature__slug="feat-0-0")
    html = client.get("/recommend/test-scenario/").content.decode()
    excluded = html.split('id="excluded-plat-1"')[1].split("</li>")[0]
    assert f'<a href="/claims/{claim.pk}/">Feature 0.0: not supported (claim {claim.pk})</a>' in (
        excluded
    )


def test_unknowns_are_left_out_by_default_and_the_page_says_so(client, catalogue):
    make_scenario()
    html = client.get("/recommend/test-scenario/").content.decode()
    assert '<option value="ignore" selected>Leave it out (default)</option>' in html
    assert "A feature with no claim neither raises nor lowers a score" in html
    # The scenario's own policy is an explicit option, offered in words.
    assert "Apply this scenario’s suggestion: penalize features with no claim." in html
    assert "unknown=penalize" in html


def test_the_penalty_applies_only_when_asked_for(client, catalogue):
    make_scenario()
    penalized = client.get("/recommend/test-scenario/?unknown=penalize").content.decode()
    assert '<option value="penalize" selected>' in penalized
    assert "lowers the score by a quarter of its weight" in penalized
    assert "Apply this scenario’s suggestion" not in penalized


def test_unknown_policy_defaults_to_ignore_in_the_api_too(client, catalogue):
    make_scenario()
    default = client.get("/api/v1/scenarios/test-scenario/recommendation/").json()
    ignore = client.get("/api/v1/scenarios/test-scenario/recommendation/?unknown=ignore").json()
    assert default == ignore
    assert scoring.DEFAULT_UNKNOWN_POLICY == "ignore"


def test_excluded_reasons_pair_with_their_claims():
    excluded = scoring.Excluded("p", "P", ("a: no (claim 7)", "b: unknown"), (7, None))
    assert excluded.linked == (("a: no (claim 7)", 7), ("b: unknown", None))
    assert scoring.Excluded("p", "P", ("a",)).linked == (("a", None),)

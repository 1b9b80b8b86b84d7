import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from helpers import load_generated_catalog, load_shipped_catalog

from comparisons.models import Scenario

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def make_scenario(**overrides) -> Scenario:
    fields = {
        "slug": "test-scenario",
        "name": "Test scenario",
        "rationale": "Because.",
        "category_weights": {"cat-0": 1, "cat-1": 1, "cat-2": 1},
    }
    fields.update(overrides)
    return Scenario.objects.create(**fields)


def load(tmp_path, platforms, features):
    load_generated_catalog(platforms, features)


def queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def test_recommendation_page_ranks_explains_and_states_robustness(client, tmp_path):
    load(tmp_path, 3, 9)
    make_scenario()
    html = client.get("/recommend/test-scenario/").content.decode()
    assert 'id="rank-plat-' in html
    assert "How sure:" in html
    assert "/claims/" in html  # reasons link their claims
    assert "https://example.org/gen" in html  # and their sources


def test_must_have_excludes_with_the_reason(client, tmp_path):
    load(tmp_path, 2, 6)
    make_scenario(must_have=["feat-0-0"])
    html = client.get("/recommend/test-scenario/").content.decode()
    # generated_catalog gives plat-1 "none" for the first feature.
    assert 'id="excluded-plat-1"' in html
    assert "Feature 0.0: not supported" in html


def test_weights_in_the_url_change_the_result_and_htmx_gets_the_fragment(client, tmp_path):
    load(tmp_path, 2, 6)
    make_scenario()
    response = client.get("/recommend/test-scenario/?w-cat-0=5&unknown=ignore", **HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="result"')
    assert "w-cat-0=5" in html  # the share link keeps the weighting


def test_api_returns_the_same_recommendation(client, tmp_path):
    load(tmp_path, 3, 9)
    make_scenario()
    page = client.get("/recommend/test-scenario/").content.decode()
    data = client.get("/api/v1/scenarios/test-scenario/recommendation/").json()
    assert data["ranked"][0]["platform"] in page
    assert f'id="rank-{data["ranked"][0]["platform"]}"' in page
    assert data["robustness"]["trials"] == 500
    listing = client.get("/api/v1/scenarios/").json()
    assert [s["slug"] for s in listing] == ["test-scenario"]


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/recommend/test-scenario/", {}),
        ("/recommend/test-scenario/?w-cat-1=3", HX),
        ("/api/v1/scenarios/test-scenario/recommendation/", {}),
    ],
)
def test_recommendation_queries_do_not_grow_with_platforms_and_features(
    client, tmp_path, url, headers
):
    load(tmp_path, 2, 6)
    make_scenario()
    small = queries(client, url, **headers)
    load(tmp_path, 6, 60)
    assert queries(client, url, **headers) == small


def test_shipped_scenarios_load_and_name_only_known_slugs(db):
    from helpers import REPO

    from comparisons.services import load_scenarios

    load_shipped_catalog()
    report = load_scenarios(REPO / "fixtures" / "scenarios.yaml")
    assert report.created["scenarios"] >= 8
    for scenario in Scenario.objects.all():
        assert scenario.rationale
        assert scenario.rationale_zh_hans

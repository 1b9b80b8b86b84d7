import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from helpers import load_generated_catalog

pytestmark = pytest.mark.django_db


def load(tmp_path, platforms, features):
    load_generated_catalog(platforms, features)


def test_claims_filter_by_platform_release_and_category(client, loaded_small_catalog):
    data = client.get("/api/v1/claims/?platform=alpha&release=1.0").json()
    assert [(c["feature"], c["release_from"]) for c in data["results"]] == [
        ("live-migration", "1.0")
    ]
    data = client.get("/api/v1/claims/?platform=alpha&release=2.0").json()
    assert sorted(c["feature"] for c in data["results"]) == ["live-migration", "max-vcpus-per-vm"]
    claim = data["results"][0]
    assert claim["citations"][0]["source"]["url"].startswith("https://example.org/")
    stale = client.get("/api/v1/claims/?checked_before=2021-01-01").json()
    assert [c["release_from"] for c in stale["results"]] == ["1.0"]


def test_feature_search_matches_aliases(client, loaded_small_catalog):
    data = client.get("/api/v1/features/?search=xenmotion").json()
    assert [f["slug"] for f in data["results"]] == ["live-migration"]


def test_matrix_endpoint_serializes_the_page_matrix(client, loaded_small_catalog):
    data = client.get("/api/v1/matrix/?platforms=alpha,beta&q=vmotion").json()
    assert [p["slug"] for p in data["platforms"]] == ["alpha", "beta"]
    row = data["categories"][0]["rows"][0]
    assert row["feature"] == "live-migration"
    assert [c["support"] for c in row["cells"]] == ["full", "none"]
    bad = client.get("/api/v1/matrix/?platforms=alpha")
    assert bad.status_code == 400
    assert set(bad.json()) == {"detail", "errors"}


def test_platforms_include_releases_and_editions(client, loaded_small_catalog):
    alpha = client.get("/api/v1/platforms/alpha/").json()
    assert [r["version"] for r in alpha["releases"]] == ["1.0", "2.0"]
    assert alpha["editions"][0]["name"] == "Pro"


def test_writes_to_read_only_endpoints_are_refused(client, loaded_small_catalog, admin_user):
    client.force_login(admin_user)
    assert client.post("/api/v1/claims/", {}).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/platforms/",
        "/api/v1/features/",
        "/api/v1/claims/",
        "/api/v1/sources/",
        "/api/v1/matrix/?platforms={two}",
        "/api/v1/benchmarks/",
        "/api/v1/runs/",
        "/api/v1/scenarios/",
    ],
)
def test_list_endpoints_run_the_same_queries_at_two_sizes(client, tmp_path, url):
    from comparisons.models import Scenario

    load(tmp_path, 2, 5)
    Scenario.objects.create(slug="a", name="A", rationale="R", category_weights={})
    with CaptureQueriesContext(connection) as small:
        assert client.get(url.format(two="plat-0,plat-1")).status_code == 200
    load(tmp_path, 8, 60)
    for index in range(5):
        Scenario.objects.create(slug=f"s{index}", name="S", rationale="R", category_weights={})
    eight = ",".join(f"plat-{p}" for p in range(8))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url.format(two=eight)).status_code == 200
    assert len(large) == len(small)


def test_the_claims_list_takes_its_page_and_count_from_one_query_of_ids(client, tmp_path):
    load(tmp_path, 3, 20)
    client.get("/api/v1/claims/")  # warms the snapshot and the version
    with CaptureQueriesContext(connection) as captured:
        first = client.get("/api/v1/claims/?page_size=7").json()
    assert len(captured) == 1  # the ordered ids; no COUNT, no claim rows
    second = client.get("/api/v1/claims/?page_size=7&page=2").json()
    everything = client.get("/api/v1/claims/?page_size=1000").json()
    assert first["count"] == second["count"] == len(everything["results"])
    ids = [c["id"] for c in everything["results"]]
    assert [c["id"] for c in first["results"] + second["results"]] == ids[:14]

import pytest
from helpers import make_runs

from benchmarks.models import Benchmark
from comparisons.models import Claim

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/compare/?platforms=alpha,beta",
        "/platforms/alpha/",
        "/api/v1/claims/?platform=alpha",
        "/api/v1/matrix/?platforms=alpha,beta",
        "/api/v1/platforms/",
    ],
)
def test_unchanged_catalogue_answers_304_and_a_change_invalidates(
    client, loaded_small_catalog, url
):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert "max-age=60" in first["Cache-Control"]
    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    claim.note = "Edited by a curator."
    claim.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.usefixtures("benchmark_catalog")
def test_new_benchmark_results_revalidate_only_what_shows_results(client):
    shows_results = ["/compare/?platforms=alpha,beta"]
    catalogue_only = ["/platforms/alpha/", "/api/v1/claims/?platform=alpha", "/compare/export.csv"]
    etags = {url: client.get(url)["ETag"] for url in shows_results + catalogue_only}
    make_runs(20)  # bumps the results version, as every submission, import and review does
    for url in catalogue_only:
        assert client.get(url, HTTP_IF_NONE_MATCH=etags[url]).status_code == 304, url
    for url in shows_results:
        fresh = client.get(url, HTTP_IF_NONE_MATCH=etags[url])
        assert fresh.status_code == 200, url
        assert fresh["ETag"] != etags[url]
    assert "% of bare metal" in client.get(shows_results[0]).content.decode()


@pytest.mark.usefixtures("benchmark_catalog")
def test_renaming_a_benchmark_revalidates_the_page_showing_it(client):
    make_runs(20)
    url = "/compare/?platforms=alpha,beta"
    etag = client.get(url)["ETag"]
    benchmark = Benchmark.objects.get(slug="sysbench-cpu")
    benchmark.name = "sysbench CPU (renamed by a curator)"
    benchmark.save()
    fresh = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert "sysbench CPU (renamed by a curator)" in fresh.content.decode()


def test_htmx_fragment_and_full_page_have_different_etags(client, loaded_small_catalog):
    url = "/compare/?platforms=alpha,beta"
    page = client.get(url)
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert page["ETag"] != fragment["ETag"]


def test_page_size_is_capped(client, loaded_small_catalog):
    data = client.get("/api/v1/sources/?page_size=100000").json()
    assert data["count"] == 2
    assert len(data["results"]) == 2

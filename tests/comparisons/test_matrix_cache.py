"""Catalogue pages and API reads are cached per catalogue version: warm requests skip the
work, any curated edit shows at once, and nothing user-specific is served from the cache."""

import datetime
import gzip

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from helpers import without_tokens

from comparisons.models import Citation, Claim, Source

pytestmark = pytest.mark.django_db
URL = "/compare/?platforms=alpha,beta"
HX = {"HTTP_HX_REQUEST": "true"}


def get(client, url=URL, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx-fragment"])
def test_a_warm_request_runs_no_query_and_returns_the_same_matrix(
    client, loaded_small_catalog, headers
):
    cold_html, cold = get(client, **headers)
    warm_html, warm = get(client, **headers)
    assert cold > 5
    assert warm == 0  # page and catalogue version both come from the cache
    assert warm_html.count("240 vCPUs") == cold_html.count("240 vCPUs") == 1
    matrix = cold_html[cold_html.index('<div id="matrix"') :]
    assert matrix[:2000] == warm_html[warm_html.index('<div id="matrix"') :][:2000]


def test_fragment_and_page_are_cached_apart(client, loaded_small_catalog):
    get(client)
    fragment, _ = get(client, **HX)
    page, _ = get(client)
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="matrix"')
    assert "<html" in page
    assert "<title>Alpha 2.0 vs Beta 7 · VirtCompare</title>" in page


def _edit_claim():
    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    claim.value = 256
    claim.save()
    return "256 vCPUs"


def _add_citation():
    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    Citation.objects.create(
        claim=claim,
        source=Source.objects.get(key="alpha-old"),
        locator="Limits",
        quote="240.",
        stance="supports",
    )
    return "2 sources"


def _age_source():
    source = Source.objects.get(key="alpha-docs")
    source.checked = datetime.date(2019, 1, 1)
    source.save()
    return '<span class="flag stale" title='  # a cell's flag (the legend shows one too)


@pytest.mark.parametrize("edit", [_edit_claim, _add_citation, _age_source])
def test_any_claim_citation_or_source_edit_shows_on_the_next_request(
    client, loaded_small_catalog, edit
):
    before, _ = get(client)
    get(client)  # warm
    expected = edit()
    assert expected not in before
    after, queries = get(client)
    assert expected in after
    assert queries > 1  # rebuilt, not served from the cache


def test_cached_pages_hold_no_secret_and_set_no_cookie(loaded_small_catalog):
    # What makes serving one compressed copy to everyone safe (BREACH needs a secret in the
    # compressed body) and correct (nothing differs per visitor).
    first, second = Client(), Client()
    get(first)
    response = second.get(URL)
    assert "csrf" not in response.content.decode().lower()
    assert not response.cookies


def test_a_remembered_page_is_served_compressed_to_whoever_accepts_it(client, loaded_small_catalog):
    plain = client.get(URL)
    gzipped = [client.get(URL, HTTP_ACCEPT_ENCODING="gzip, deflate, br") for _ in range(2)]
    assert "Content-Encoding" not in plain
    for response in gzipped:
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert "Accept-Encoding" in response["Vary"]
    # The compressed representation has a weak validator of its own, and revalidates.
    etag = gzipped[0]["ETag"]
    assert etag == f"W/{plain['ETag']}"
    again = client.get(URL, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_languages_are_cached_apart(client, loaded_small_catalog):
    english, _ = get(client)
    chinese, _ = get(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    again, _ = get(client)
    assert "Compare platforms" in english
    assert "Compare platforms" in again
    assert "平台对比" in chinese
    assert "Compare platforms" not in chinese


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/?platform=alpha",
        "/api/v1/matrix/?platforms=alpha,beta",
        "/platforms/alpha/",
        "/compare/export.csv?platforms=alpha,beta",
    ],
)
def test_api_reads_and_other_catalogue_pages_are_cached_and_invalidated(
    client, loaded_small_catalog, url
):
    cold, cold_queries = get(client, url)
    warm, warm_queries = get(client, url)
    assert without_tokens(warm) == without_tokens(cold)  # tokens are masked per response
    assert cold_queries > 1
    assert warm_queries == 0
    _edit_claim()
    fresh, _ = get(client, url)
    assert fresh != cold
    assert "256" in fresh


def test_a_bump_inside_a_transaction_is_not_cached_by_others_before_commit(
    loaded_small_catalog,
):
    from comparisons.models import CatalogVersion

    before = CatalogVersion.current().version
    CatalogVersion.bump()
    # The same connection sees its own bump at once, not the cached old number.
    assert CatalogVersion.current().version == before + 1


def test_a_filter_change_on_shown_columns_builds_no_cell_and_an_edit_rebuilds(
    client, loaded_small_catalog, monkeypatch
):
    # The rows of a set of columns are kept with the snapshot; filters only choose among them.
    from comparisons import matrix

    built = []
    rows = matrix.rows
    monkeypatch.setattr(matrix, "rows", lambda *a, **k: built.append(1) or rows(*a, **k))
    first, _ = get(client)
    filtered, _ = get(client, URL + "&diff=1")
    searched, _ = get(client, URL + "&q=vcpu")
    assert len(built) == 1
    assert "240 vCPUs" in first
    assert "240 vCPUs" in searched
    assert filtered.count('<tr id="feature-') < first.count('<tr id="feature-')
    _edit_claim()
    edited, _ = get(client, URL + "&q=vcpu")
    assert len(built) == 2
    assert "256 vCPUs" in edited
    assert "240 vCPUs" not in edited

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from helpers import load_generated_catalog

from comparisons.models import Claim

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def load_generated(tmp_path, platforms, features):
    load_generated_catalog(platforms, features)


def queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def test_compare_page_renders_the_matrix_with_sources(client, loaded_small_catalog):
    response = client.get("/compare/?platforms=alpha,beta")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert 'id="matrix"' in html
    assert "Live migration" in html
    assert "240 vCPUs" in html
    assert '<th scope="col">' in html
    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    assert f'hx-get="/claims/{claim.pk}/"' in html


def test_htmx_request_gets_only_the_matrix_fragment_and_the_canonical_url(
    client, loaded_small_catalog
):
    response = client.get("/compare/?platforms=alpha,beta&diff=1", **HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="matrix"')
    assert "<html" not in html
    assert response["HX-Push-Url"] == "/compare/?platforms=alpha%2Cbeta&diff=1"
    assert "HX-Request" in response["Vary"]


def test_plain_form_submission_redirects_to_the_canonical_url(client, loaded_small_catalog):
    response = client.get("/compare/?platform=alpha&platform=beta&release-alpha=1.0&diff=1")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?platforms=alpha%401.0%2Cbeta&diff=1"


def test_release_choice_changes_the_cells(client, loaded_small_catalog):
    old = client.get("/compare/?platforms=alpha@1.0,beta").content.decode()
    new = client.get("/compare/?platforms=alpha@2.0,beta").content.decode()
    assert "Partly" in old
    assert "240 vCPUs" not in old
    assert "240 vCPUs" in new


def test_unknown_platform_is_a_400_with_a_message(client, loaded_small_catalog):
    response = client.get("/compare/?platforms=alpha,nope")
    assert response.status_code == 400
    assert "Unknown platform &#x27;nope&#x27;." in response.content.decode()


def test_pretty_pair_url_redirects_to_the_matrix(client, loaded_small_catalog):
    response = client.get("/compare/alpha-vs-beta/")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?platforms=alpha,beta"
    assert client.get("/compare/alpha-vs-nope/").status_code == 404


def test_csv_export_has_the_filtered_rows_and_source_urls(client, loaded_small_catalog):
    response = client.get("/compare/export.csv?platforms=alpha,beta&q=vmotion")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["category", "feature", "alpha@2.0 support"]
    assert [r[1] for r in rows[1:]] == ["Live migration"]
    assert rows[1][2:5] == ["full", "", "https://example.org/alpha/docs"]


def test_json_export_is_the_api_matrix(client, loaded_small_catalog):
    export = client.get("/compare/export.json?platforms=alpha,beta").json()
    assert export == client.get("/api/v1/matrix/?platforms=alpha,beta").json()
    assert [p["slug"] for p in export["platforms"]] == ["alpha", "beta"]
    rows = [row for category in export["categories"] for row in category["rows"]]
    vcpus = next(r for r in rows if r["feature"] == "max-vcpus-per-vm")
    assert vcpus["cells"][0]["value"] == 240
    assert vcpus["cells"][0]["sources"] == ["https://example.org/alpha/docs"]


def test_claim_page_is_a_full_page_and_a_panel_for_htmx(client, loaded_small_catalog):
    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    panel = client.get(f"/claims/{claim.pk}/", **HX).content.decode()
    assert "<html" in page
    assert "<html" not in panel
    for html in (page, panel):
        assert "https://example.org/alpha/docs" in html
        assert "checked 2026-11-26" in html
        assert "240." in html  # the quote
        assert "Created by the catalogue loader" in html


def test_platform_page_lists_releases_claims_and_compare_links(client, loaded_small_catalog):
    html = client.get("/platforms/alpha/").content.decode()
    assert "2023-01-01" in html  # end of support of 1.0
    assert "Pro" in html
    assert "/compare/?platforms=alpha,beta" in html
    assert "240 vCPUs" in html


def test_release_diff_shows_what_changed(client, loaded_small_catalog):
    html = client.get("/platforms/alpha/changes/?from=1.0&to=2.0").content.decode()
    assert "Live migration" in html
    assert "Maximum vCPUs per VM" in html
    assert client.get("/platforms/alpha/changes/?from=0.1").status_code == 400


def test_home_offers_platforms(client, loaded_small_catalog):
    html = client.get("/").content.decode()
    assert "/platforms/alpha/" in html
    assert "/platforms/beta/" in html


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/compare/?platforms={two}&diff=1", {}),
        ("/compare/?platforms={two}", HX),
        ("/compare/export.json?platforms={two}", {}),
        ("/platforms/plat-0/", {}),
        ("/platforms/plat-0/changes/?from=0.0&to=1.0", {}),
        ("/", {}),
    ],
)
def test_pages_run_the_same_queries_for_small_and_large_catalogues(
    client, django_db_setup, tmp_path, url, headers
):
    load_generated(tmp_path, platforms=2, features=5)
    small = queries(client, url.format(two="plat-0,plat-1"), **headers)
    load_generated(tmp_path, platforms=8, features=60)
    all_eight = ",".join(f"plat-{p}" for p in range(8))
    large = queries(client, url.format(two=all_eight), **headers)
    assert large == small


def test_claim_panel_queries_do_not_grow_with_citations(client, loaded_small_catalog):
    from factories import CitationFactory

    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    small = queries(client, f"/claims/{claim.pk}/", **HX)
    for _ in range(10):
        CitationFactory(claim=claim)
    assert queries(client, f"/claims/{claim.pk}/", **HX) == small


def test_english_quotes_and_cells_on_chinese_pages_carry_lang_en(client, loaded_small_catalog):
    claim = Claim.objects.filter(citations__quote__gt="").first()
    html = client.get(f"/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert '<blockquote lang="en">' in html
    english = client.get(f"/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<blockquote>" in english


def test_compare_fragment_replaces_its_region_and_says_what_it_shows(client, loaded_small_catalog):
    page = client.get("/compare/?platforms=alpha,beta").content.decode()
    assert 'hx-target="#matrix" hx-swap="outerHTML"' in page
    assert page.count('id="claim-panel"') == 1
    fragment = client.get("/compare/?platforms=alpha,beta", **HX).content.decode()
    assert fragment.count('id="matrix"') == 1
    assert 'data-announce="' in fragment
    assert "data-title=" in fragment
    assert 'id="claim-panel"' not in fragment  # the panel outlives swaps


def test_a_platform_name_with_markup_characters_is_escaped_once_in_the_title(
    client, db, small_catalog, tmp_path
):
    from helpers import write_catalog

    from comparisons.services import load_catalog_dir

    small_catalog["platforms/alpha.yaml"]["name"] = "Alpha & <Co>"
    load_catalog_dir(write_catalog(tmp_path / "catalog", small_catalog))
    fragment = client.get("/compare/?platforms=alpha,beta", **HX).content.decode()
    assert 'data-title="Alpha &amp; &lt;Co&gt; 2.0 vs Beta 7 · VirtCompare"' in fragment
    page = client.get("/compare/?platforms=alpha,beta").content.decode()
    assert "<title>Alpha &amp; &lt;Co&gt; 2.0 vs Beta 7 · VirtCompare</title>" in page

"""The migration pages, their HTMX fragments, exports and API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from helpers import generated_catalog, write_catalog

from comparisons.services import load_catalog_dir
from migration_paths.services import load_migrations_dir

pytestmark = pytest.mark.django_db


def generated_migrations(platforms: int, methods: int, statements: int) -> dict:
    """Every ordered pair of plat-0..plat-N gets `methods` methods of `statements` statements."""
    files: dict = {}
    for s in range(platforms):
        entries = []
        for t in range(platforms):
            if s == t:
                continue
            entries.append(
                {
                    "to": f"plat-{t}",
                    "summary": "Generated.",
                    "methods": [
                        {
                            "slug": f"m{m}",
                            "tool": f"Tool {m}",
                            "kind": "manual",
                            "mode": ("live", "warm", "cold")[m % 3],
                            "status": "published",
                            "statements": [
                                {
                                    "topic": ("mode", "manual", "limit")[min(i, 2)],
                                    "text": f"Statement {i}.",
                                    "citations": [{"source": "gen-doc", "quote": "q"}],
                                }
                                for i in range(statements)
                            ],
                        }
                        for m in range(methods)
                    ],
                }
            )
        files[f"plat-{s}.yaml"] = entries
    return files


@pytest.fixture
def sized(tmp_path):
    def load(platforms: int, methods: int, statements: int) -> None:
        root = tmp_path / f"size-{platforms}-{methods}-{statements}"
        load_catalog_dir(write_catalog(root / "catalog", generated_catalog(platforms, 2)))
        load_migrations_dir(
            write_catalog(root / "migrations", generated_migrations(platforms, methods, statements))
        )

    return load


def queries_for(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/migrate/",
        "/migrate/?mode=warm&kind=manual",
        "/migrate/plat-0/plat-1/",
        "/migrate/export.csv",
        "/api/v1/migration-paths/",
        "/api/v1/migration-paths/plat-0/plat-1/",
    ],
)
def test_query_count_does_not_grow_with_the_data(client, sized, url, django_db_blocker):
    sized(2, 1, 1)
    small = queries_for(client, url)
    sized(4, 3, 3)
    from django.core.cache import cache

    cache.clear()
    assert queries_for(client, url) == small


def test_grid_shows_modes_in_words_and_counts(client, loaded_migrations):
    html = client.get("/migrate/").content.decode()
    assert 'class="mode mode-warm">Warm<' in html
    assert "2 methods" in html
    assert "2 sources" in html
    assert "No documented path" in html


def test_grid_names_the_pairs_without_a_documented_path(client, loaded_migrations):
    html = client.get("/migrate/").content.decode()
    assert "One pair has no documented direct path" in html
    assert 'href="/migrate/beta/alpha/">Beta → Alpha</a>' in html


def test_grid_fragment_for_htmx(client, loaded_migrations):
    response = client.get("/migrate/?from=alpha", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="grid"')
    assert "<html" not in html
    assert response["HX-Push-Url"] == "/migrate/?from=alpha"


def test_grid_filters_rows_and_columns(client, loaded_migrations):
    html = client.get("/migrate/?from=beta").content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "/platforms/beta/" in table
    assert "/platforms/alpha/" not in table


def test_mode_filter_marks_slower_pairs(client, loaded_migrations):
    html = client.get("/migrate/?mode=live").content.decode()
    assert "no-match" in html
    assert "slower than the filter" in html


@pytest.mark.parametrize(
    "query", ["mode=fast", "from=nowhere", "to=nowhere", "kind=magic", "kind=manual&kind=x"]
)
def test_bad_filters_are_400_with_a_message(client, loaded_migrations, query):
    response = client.get(f"/migrate/?{query}")
    assert response.status_code == 400
    assert "Unknown" in response.content.decode()
    assert client.get(f"/api/v1/migration-paths/?{query}").status_code == 400
    assert client.get(f"/migrate/export.json?{query}").status_code == 400


def test_pair_page_lists_methods_statements_and_citations(client, loaded_migrations):
    html = client.get("/migrate/alpha/beta/").content.decode()
    assert "From Alpha to Beta" in html
    assert html.index("Alpha Converter") < html.index("Export and convert")  # warm first
    assert "Copies while running" in html
    assert 'href="https://example.org/alpha/docs"' in html
    assert "Draft note" not in html
    assert "Pre-flight checklist" in html
    assert "Remove the Alpha tools first." in html


def test_pair_fragment_for_htmx(client, loaded_migrations):
    html = client.get("/migrate/alpha/beta/", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="pair-detail">')
    assert "<html" not in html


def test_thin_pair_says_so_in_words(client, loaded_migrations):
    html = client.get("/migrate/beta/alpha/").content.decode()
    assert "No documented direct path from Beta to Alpha was found" in html
    assert "Pre-flight checklist" not in html


def test_unresearched_pair_says_so(client, loaded_small_catalog):
    html = client.get("/migrate/alpha/beta/").content.decode()
    assert "This pair has not been researched yet." in html


@pytest.mark.parametrize(
    "url", ["/migrate/alpha/nowhere/", "/migrate/alpha/alpha/", "/migrate/export.xml"]
)
def test_unknown_pairs_and_formats_are_404(client, loaded_migrations, url):
    assert client.get(url).status_code == 404


def test_pair_page_in_chinese_shows_the_chinese_text(client, loaded_migrations):
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/migrate/alpha/beta/").content.decode()
    assert "运行时复制，然后短暂切换。" in html
    assert "Alpha 到 Beta 有转换工具。" in html


def test_csv_export_has_one_row_per_pair(client, loaded_migrations):
    response = client.get("/migrate/export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads UTF-8
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "from,to,best_mode,methods,sources,kinds,url"
    assert lines[1].startswith("alpha,beta,warm,2,2,manual vendor-tool,")
    assert lines[2].startswith("beta,alpha,,0,0,,")


def test_json_export_and_api_agree(client, loaded_migrations):
    exported = client.get("/migrate/export.json").json()
    assert exported == client.get("/api/v1/migration-paths/").json()


def test_api_pair_has_methods_statements_and_citations(client, loaded_migrations):
    data = client.get("/api/v1/migration-paths/alpha/beta/").json()
    assert data["from"] == "alpha"
    assert data["best_mode"] == "warm"
    first = data["methods"][0]
    assert first["tool"] == "Alpha Converter"
    assert first["statements"][0]["citations"][0]["url"] == "https://example.org/alpha/docs"


def test_api_mode_filter_keeps_pairs_at_least_that_good(client, loaded_migrations):
    assert client.get("/api/v1/migration-paths/?mode=cold").json()["pairs"][0]["to"] == "beta"
    assert client.get("/api/v1/migration-paths/?mode=live").json() == {"pairs": []}


def test_api_unknown_pair_is_404(client, loaded_migrations):
    assert client.get("/api/v1/migration-paths/alpha/nowhere/").status_code == 404


def test_platform_and_compare_pages_link_to_the_migration_pages(client, loaded_migrations):
    platform = client.get("/platforms/alpha/").content.decode()
    assert 'href="/migrate/?from=alpha"' in platform
    compare = client.get("/compare/?platforms=alpha,beta").content.decode()
    assert 'href="/migrate/alpha/beta/"' in compare
    assert 'href="/migrate/beta/alpha/"' in compare


def test_feed_lists_statement_changes_with_links_to_their_method(client, loaded_migrations):
    body = client.get("/migrate/changes.atom").content.decode()
    assert "<feed" in body
    assert "Copies while running, then a short cut-over." in body
    assert "/migrate/alpha/beta/#method-converter" in body


def test_pair_feed_keeps_to_its_pair_and_404s_for_unknown_pairs(client, loaded_migrations):
    body = client.get("/migrate/alpha/beta/changes.atom").content.decode()
    assert "Alpha Converter" in body
    assert client.get("/migrate/beta/alpha/changes.atom").content.decode().count("<entry>") == 0
    assert client.get("/migrate/alpha/nowhere/changes.atom").status_code == 404


def test_feed_survives_a_deleted_method(client, loaded_migrations):
    from migration_paths.models import MigrationMethod

    MigrationMethod.objects.filter(slug="by-hand").delete()
    response = client.get("/migrate/changes.atom")
    assert response.status_code == 200
    assert "a removed method" in response.content.decode()


def test_checklist_sources_name_the_page_not_only_the_publisher(client, loaded_migrations):
    html = client.get("/migrate/alpha/beta/").content.decode()
    checklist = html.split("Pre-flight checklist")[1]
    link = checklist.split('rel="noopener noreferrer nofollow">')[1].split("</a>")[0]
    assert link != "Acme"
    assert f">{link}</a>, " in checklist  # the title, then its publisher

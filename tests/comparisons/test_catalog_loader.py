import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from helpers import write_catalog

from comparisons.catalog import read_catalog, validate
from comparisons.catalog_export import export_catalog
from comparisons.models import Citation, Claim, Feature, Platform, Release, Source
from comparisons.services import load_catalog_dir


def problems_for(tmp_path, catalog) -> list[str]:
    root = write_catalog(tmp_path / "bad", catalog)
    parsed, problems = read_catalog(root)
    return [str(p) for p in problems + validate(parsed)]


def test_small_catalogue_is_valid(small_catalog_dir):
    parsed, problems = read_catalog(small_catalog_dir)
    assert problems == []
    assert validate(parsed) == []


@pytest.mark.django_db
def test_load_creates_every_row(small_catalog_dir):
    load_catalog_dir(small_catalog_dir)
    assert Platform.objects.count() == 2
    assert Release.objects.get(platform__slug="alpha", is_current=True).version == "2.0"
    assert Feature.objects.get(slug="live-migration").aliases == ["vMotion", "XenMotion"]
    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    assert claim.value == 240
    assert claim.citations.get().source.key == "alpha-docs"
    old = Claim.objects.get(platform__slug="alpha", release_from__version="1.0")
    assert old.release_label == "1.0"


@pytest.mark.django_db
def test_platform_order_comes_from_the_files(tmp_path, small_catalog):
    small_catalog["platforms/beta.yaml"]["position"] = 1
    load_catalog_dir(write_catalog(tmp_path / "cat", small_catalog))
    # beta names its place, alpha has none and comes after it.
    assert list(Platform.objects.values_list("slug", "position")) == [("beta", 1), ("alpha", 2)]


@pytest.mark.django_db
def test_loading_twice_changes_nothing(small_catalog_dir):
    load_catalog_dir(small_catalog_dir)
    history_before = Claim.history.count() + Source.history.count() + Citation.history.count()
    report = load_catalog_dir(small_catalog_dir)
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    history_after = Claim.history.count() + Source.history.count() + Citation.history.count()
    assert history_after == history_before


@pytest.mark.django_db
def test_editing_a_value_updates_the_row_and_keeps_history(tmp_path, small_catalog):
    root = write_catalog(tmp_path / "cat", small_catalog)
    load_catalog_dir(root)
    claim = Claim.objects.get(feature__slug="max-vcpus-per-vm")
    small_catalog["claims/alpha.yaml"][2]["value"] = 480
    write_catalog(root, small_catalog)
    report = load_catalog_dir(root)
    assert report.updated["claims"] == 1
    claim.refresh_from_db()
    assert claim.value == 480
    assert [h.value for h in claim.history.order_by("history_date")] == [240, 480]


@pytest.mark.django_db
def test_export_then_load_then_export_gives_identical_files(tmp_path, small_catalog_dir):
    load_catalog_dir(small_catalog_dir)
    first = tmp_path / "first"
    export_catalog(first)
    Claim.objects.all().delete()
    load_catalog_dir(first)
    second = tmp_path / "second"
    export_catalog(second)
    first_files = {p.relative_to(first): p.read_text() for p in first.rglob("*.yaml")}
    second_files = {p.relative_to(second): p.read_text() for p in second.rglob("*.yaml")}
    assert first_files == second_files
    assert len(first_files) == 7


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c["claims/alpha.yaml"][1].update(feature="teleportation"),
            "claims/alpha.yaml: entry 2 (teleportation@2.0): unknown feature 'teleportation'",
        ),
        (
            lambda c: c["claims/alpha.yaml"][1].update({"from": "3.0"}),
            "claims/alpha.yaml: entry 2 (live-migration@3.0): unknown release '3.0' of alpha",
        ),
        (
            lambda c: c["claims/alpha.yaml"][1].update(citations=[]),
            "a published claim needs at least one supporting citation",
        ),
        (
            lambda c: c["claims/alpha.yaml"][1]["citations"][0].update(source="nowhere"),
            "citation 1: unknown source 'nowhere'",
        ),
        (
            lambda c: c["sources/alpha.yaml"][0].pop("checked"),
            "sources/alpha.yaml: entry 1 (alpha-docs): 'checked' is required (YYYY-MM-DD)",
        ),
        (
            lambda c: c["sources/alpha.yaml"][0].update(checked="2026-13-45"),
            "'checked' is not a valid date: '2026-13-45'",
        ),
        (
            lambda c: c["sources/alpha.yaml"][1].update(key="alpha-docs"),
            "duplicate source key 'alpha-docs'",
        ),
        (
            lambda c: c["sources/alpha.yaml"][0].update(url="javascript:alert(1)"),
            "url must be an http(s) address",
        ),
        (
            lambda c: c["claims/alpha.yaml"][2].pop("value"),
            "a number in vCPUs is required ('value')",
        ),
        (
            lambda c: c["claims/alpha.yaml"][2].update(unit="cores"),
            "unit 'cores' does not match 'vCPUs'",
        ),
        (
            lambda c: c["claims/alpha.yaml"][0].pop("note"),
            "a partial claim needs a note",
        ),
        (
            lambda c: c["claims/alpha.yaml"][1].update(support="maybe"),
            "'support' is 'maybe'; expected one of full, partial, none, not-applicable, "
            "no-limit, unknown",
        ),
        (
            lambda c: c["claims/alpha.yaml"][1].update(support="no-limit"),
            "'no-limit' is for a number feature, without a value",
        ),
        (
            lambda c: c["claims/alpha.yaml"][2].update(support="no-limit"),
            "'no-limit' is for a number feature, without a value",
        ),
        (
            lambda c: c["sources/alpha.yaml"][0].update(archive_of="https://example.org/x"),
            "'archive_of' is only for a mirror or archive copy",
        ),
        (
            lambda c: c["sources/alpha.yaml"][0].update(kind="mirror", archive_of="ftp://x"),
            "archive_of must be an http(s) address",
        ),
        (
            lambda c: c["sources/alpha.yaml"][0].update(kind="article"),
            "'kind' is 'article'; expected one of vendor-doc, source-code",
        ),
        (
            lambda c: c["categories.yaml"][0]["features"][0].update(importance=5),
            "'importance' is 5; expected one of 1, 2, 3",
        ),
        (
            lambda c: c.update(
                {
                    "factchecks.yaml": [
                        {
                            "slug": "f",
                            "statement": "s",
                            "verdict": "unproven",
                            "explanation": "e",
                            "claims": [
                                {
                                    "platform": "alpha",
                                    "feature": "live-migration",
                                    "from": "9.9",
                                    "expects": ["yes"],
                                }
                            ],
                        }
                    ]
                }
            ),
            "unknown release '9.9' of alpha",
        ),
        (
            lambda c: c["platforms/beta.yaml"].update(vendor="globex"),
            "platforms/beta.yaml: entry 1 (beta): unknown vendor 'globex'",
        ),
        (
            lambda c: c["platforms/alpha.yaml"]["releases"][0].update(current=True),
            "exactly one release must be current (found 2)",
        ),
        (
            lambda c: c["claims/alpha.yaml"].append(dict(c["claims/alpha.yaml"][1])),
            "duplicate claim ('alpha', 'live-migration', '2.0', None)",
        ),
        (
            lambda c: c.update({"claims/gamma.yaml": [dict(c["claims/beta.yaml"][0])]}),
            "unknown platform 'gamma' (no platforms/gamma.yaml)",
        ),
        (
            lambda c: c["platforms/beta.yaml"].update(position="first"),
            "platforms/beta.yaml: entry 1 (beta): 'position' must be a whole number from 1",
        ),
        (
            lambda c: c["platforms/beta.yaml"].update(kind="type3"),
            "'kind' is 'type3'; expected one of type1, kernel-module, hosted, baseline",
        ),
    ],
    ids=[
        "unknown-feature",
        "unknown-release",
        "published-without-citation",
        "unknown-source",
        "source-without-checked-date",
        "bad-date",
        "duplicate-key",
        "non-http-url",
        "number-without-value",
        "wrong-unit",
        "partial-without-note",
        "bad-support-level",
        "no-limit-on-a-support-feature",
        "no-limit-with-a-value",
        "archive-of-on-a-canonical-source",
        "archive-of-not-http",
        "old-kind-article",
        "importance-out-of-range",
        "fact-check-concern-unknown-release",
        "unknown-vendor",
        "two-current-releases",
        "duplicate-claim",
        "unknown-platform",
        "bad-platform-position",
        "platform-kind-not-a-model-choice",
    ],
)
def test_each_kind_of_bad_input_is_reported_with_file_and_entry(
    tmp_path, small_catalog, change, expected
):
    change(small_catalog)
    problems = problems_for(tmp_path, small_catalog)
    assert any(expected in p for p in problems), problems


def test_broken_yaml_names_file_and_line(tmp_path, small_catalog_dir):
    (small_catalog_dir / "claims" / "beta.yaml").write_text("- feature: [unclosed\n")
    parsed, problems = read_catalog(small_catalog_dir)
    assert len(problems) == 1
    assert str(problems[0]).startswith("claims/beta.yaml line")


@pytest.mark.django_db
def test_a_bad_catalogue_loads_nothing(tmp_path, small_catalog, capsys):
    small_catalog["claims/beta.yaml"][0]["feature"] = "teleportation"
    root = write_catalog(tmp_path / "cat", small_catalog)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_catalog", str(root))
    assert "unknown feature 'teleportation'" in capsys.readouterr().err
    assert Platform.objects.count() == 0
    assert Claim.objects.count() == 0


@pytest.mark.django_db
def test_load_command_reports_counts(small_catalog_dir, capsys):
    call_command("load_catalog", str(small_catalog_dir))
    assert "claims: 4 new, 0 changed, 0 unchanged" in capsys.readouterr().out


def test_text_longer_than_its_column_is_reported(tmp_path, small_catalog):
    small_catalog["claims/alpha.yaml"][0]["citations"][0]["locator"] = "x" * 301
    problems = problems_for(tmp_path, small_catalog)
    assert any("'locator' is 301 characters; at most 300" in p for p in problems), problems


@pytest.mark.django_db
def test_the_load_command_leaves_fresh_planner_statistics(small_catalog_dir):
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE after a bulk load is for PostgreSQL's planner")
    call_command("load_catalog", str(small_catalog_dir))
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'comparisons_claim'")
        (estimated,) = cursor.fetchone()
    assert estimated == Claim.objects.count() > 0

"""Source kinds (best source first, copies name their canonical page), freshness (stale
claims in the API and the curators' admin list) and fact checks linked both ways."""

import datetime

import pytest
from helpers import write_catalog

from comparisons import freshness
from comparisons.models import Claim
from comparisons.services import load_catalog_dir

COPY = {
    "key": "alpha-copy",
    "url": "https://mirror.example.net/alpha/docs",
    "title": "Alpha docs (copy)",
    "publisher": "Acme (copy)",
    "kind": "mirror",
    "archive_of": "https://example.org/alpha/docs",
    "checked": "2026-11-26",
}
FACT_CHECK = {
    "slug": "alpha-cannot-migrate",
    "statement": "Alpha cannot live-migrate.",
    "verdict": "outdated",
    "explanation": "It can since 2.0.",
    "sources": ["alpha-docs"],
    "claims": [
        {"platform": "alpha", "feature": "live-migration", "from": "2.0", "expects": ["full"]}
    ],
}


@pytest.fixture
def catalog(db, tmp_path, small_catalog):
    small_catalog["sources/alpha.yaml"].append(COPY)
    # the copy is listed first in the file; readers still see the vendor's page first
    small_catalog["claims/alpha.yaml"][1]["citations"].insert(
        0, {"source": "alpha-copy", "locator": "Migration", "quote": "Yes (copy)."}
    )
    small_catalog["factchecks.yaml"] = [FACT_CHECK]
    load_catalog_dir(write_catalog(tmp_path / "catalog", small_catalog))
    return Claim.objects.get(
        platform__slug="alpha", feature__slug="live-migration", release_from__version="2.0"
    )


def test_a_claim_shows_its_best_source_first_and_names_what_a_copy_copies(client, catalog):
    html = client.get(f"/claims/{catalog.pk}/").content.decode()
    assert html.index("https://example.org/alpha/docs") < html.index("mirror.example.net")
    assert "A copy of" in html
    assert "(Mirror or archive copy)" in html
    api = client.get(f"/api/v1/claims/{catalog.pk}/").json()
    assert [c["source"]["kind"] for c in api["citations"]] == ["vendor-doc", "mirror"]
    assert api["citations"][1]["source"]["archive_of"] == "https://example.org/alpha/docs"


def test_stale_claims_in_the_api(client, catalog):
    stale = client.get("/api/v1/claims/?stale=1").json()["results"]
    assert [(c["feature"], c["release_from"]) for c in stale] == [("live-migration", "1.0")]
    fresh = client.get("/api/v1/claims/?stale=0").json()["results"]
    assert ("live-migration", "1.0") not in [(c["feature"], c["release_from"]) for c in fresh]
    assert len(fresh) == Claim.objects.count() - 1
    assert client.get("/api/v1/claims/?stale=maybe").status_code == 400


def test_fact_check_and_claim_link_both_ways(client, catalog):
    claim_page = client.get(f"/claims/{catalog.pk}/").content.decode()
    assert 'href="/fact-checks/#alpha-cannot-migrate"' in claim_page
    checks = client.get("/fact-checks/").content.decode()
    assert f'href="/claims/{catalog.pk}/"' in checks
    assert "the verdict expects supported" in checks
    # the 1.0 claim is not the one the concern names
    old = Claim.objects.get(
        platform__slug="alpha", feature__slug="live-migration", release_from__version="1.0"
    )
    assert "alpha-cannot-migrate" not in client.get(f"/claims/{old.pk}/").content.decode()


def test_a_release_diff_lists_an_unknown_side_as_a_gap_not_a_change(client, catalog):
    # max vCPUs: no claim at 1.0 (unknown), 240 at 2.0
    html = client.get("/platforms/alpha/changes/?from=1.0&to=2.0").content.decode()
    assert "1 change from 1.0 to 2.0" in html
    assert "Not counted as a change: 1 feature is unknown" in html


def test_the_curators_recheck_page_lists_stale_claims_and_the_monthly_reminder(
    client, admin_user, catalog
):
    client.force_login(admin_user)
    html = client.get("/admin/comparisons/claim/freshness/").content.decode()
    assert "Stale now (1 before this month)" in html
    assert "Monthly reminder" in html
    assert (
        'href="/admin/comparisons/claim/freshness/"'
        in client.get("/admin/comparisons/claim/").content.decode()
    )
    client.logout()
    assert client.get("/admin/comparisons/claim/freshness/").status_code == 302


def test_reminders_group_claims_by_the_month_they_fall_due():
    today = datetime.date(2026, 12, 2)
    rows = [
        ("overdue", datetime.date(2025, 10, 1)),  # stale since 2026-10
        ("this month", datetime.date(2025, 12, 20)),  # due 2026-12-21
        ("next month", datetime.date(2026, 1, 5)),  # due 2027-01-06
        ("far", datetime.date(2026, 11, 1)),  # due in 11 months: not listed yet
        ("never", None),
    ]
    reminder = freshness.reminders(rows, today, months=3)
    assert reminder.overdue == ("overdue",)
    assert [(m.start.isoformat(), m.items) for m in reminder.months] == [
        ("2026-12-01", ("this month",)),
        ("2027-01-01", ("next month",)),
        ("2027-02-01", ()),
    ]
    assert reminder.never_checked == ("never",)
    assert freshness.due_date(datetime.date(2025, 12, 2)) == datetime.date(2026, 12, 3)

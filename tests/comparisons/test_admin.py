import datetime

import pytest
from django.contrib.messages import get_messages
from factories import CitationFactory, ClaimFactory, SourceFactory
from helpers import REPO

from comparisons.models import Citation, Claim

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/comparisons/claim/"


@pytest.fixture
def curator_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_publish_action_publishes_supported_claims_and_refuses_the_rest(curator_client):
    supported = CitationFactory().claim
    unsupported = ClaimFactory()
    response = curator_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [supported.pk, unsupported.pk]},
        follow=True,
    )
    supported.refresh_from_db()
    unsupported.refresh_from_db()
    assert supported.status == Claim.Status.PUBLISHED
    assert unsupported.status == Claim.Status.DRAFT
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Published 1 claim(s)." in texts
    assert any(t.startswith("Refused 1 claim(s) without a supporting citation") for t in texts)


@pytest.mark.parametrize(
    ("action", "status"),
    [("mark_disputed", Claim.Status.DISPUTED), ("retract", Claim.Status.RETRACTED)],
)
def test_status_actions_record_who_in_history(curator_client, admin_user, action, status):
    claim = CitationFactory().claim
    curator_client.post(CHANGELIST, {"action": action, "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == status
    newest = claim.history.latest("history_date")
    assert newest.status == status
    assert newest.history_user == admin_user


def test_claim_form_refuses_published_without_supporting_citation(curator_client):
    claim = ClaimFactory()
    url = f"{CHANGELIST}{claim.pk}/change/"
    data = {
        "platform": claim.platform_id,
        "feature": claim.feature_id,
        "release_from": claim.release_from_id,
        "support": "full",
        "status": "published",
        "confidence": "high",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "needs at least one supporting citation" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


def test_stale_source_filter_lists_only_claims_with_old_sources(curator_client):
    fresh = CitationFactory().claim
    old = CitationFactory(source=SourceFactory(checked=datetime.date(2020, 1, 1))).claim
    response = curator_client.get(CHANGELIST, {"sources": "stale"})
    shown = {c.pk for c in response.context["cl"].result_list}
    assert shown == {old.pk}
    assert fresh.pk not in shown


def _claims_with_citations(count: int) -> None:
    for _ in range(count):
        CitationFactory(stance=Citation.Stance.SUPPORTS)


@pytest.mark.parametrize("url", [CHANGELIST, "/admin/comparisons/source/"])
def test_changelist_queries_do_not_grow_with_rows(curator_client, url):
    _claims_with_citations(2)
    curator_client.get(url)  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert curator_client.get(url).status_code == 200
    _claims_with_citations(30)
    with CaptureQueriesContext(connection) as large:
        assert curator_client.get(url).status_code == 200
    assert len(large) == len(small)


def test_source_change_page_lists_the_claims_resting_on_it(curator_client):
    citation = CitationFactory()
    response = curator_client.get(f"/admin/comparisons/source/{citation.source_id}/change/")
    assert f"/admin/comparisons/claim/{citation.claim_id}/change/" in response.content.decode()


def test_curators_edit_both_languages_side_by_side(curator_client):
    from factories import FeatureFactory

    feature = FeatureFactory()
    html = curator_client.get(f"/admin/comparisons/feature/{feature.pk}/change/").content.decode()
    assert 'name="name_en"' in html
    assert 'name="name_zh_hans"' in html
    assert 'name="description_zh_hans"' in html


@pytest.mark.parametrize(
    "model", ["category", "platform", "feature", "claim", "source", "factcheck"]
)
def test_admin_add_pages_render(curator_client, model):
    assert curator_client.get(f"/admin/comparisons/{model}/add/").status_code == 200


def _claim_form(claim, **fields):
    return {
        "platform": claim.platform_id,
        "feature": claim.feature_id,
        "release_from": claim.release_from_id,
        "support": "partial",
        "status": "draft",
        "confidence": "high",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_claim_form_edits_english_and_chinese_side_by_side(curator_client):
    claim = ClaimFactory(support="partial", note="Needs shared storage.")
    url = f"{CHANGELIST}{claim.pk}/change/"
    page = curator_client.get(url).content.decode()
    assert 'name="note_en"' in page
    assert 'name="note_zh_hans"' in page
    curator_client.post(
        url, _claim_form(claim, note_en="Needs shared storage.", note_zh_hans="需要共享存储。")
    )
    claim.refresh_from_db()
    assert (claim.note_en, claim.note_zh_hans) == ("Needs shared storage.", "需要共享存储。")


def test_changing_the_english_alone_clears_its_stale_chinese(curator_client):
    claim = ClaimFactory(support="partial", note="Needs shared storage.")
    Claim.objects.filter(pk=claim.pk).update(
        note_en="Needs shared storage.", note_zh_hans="需要共享存储。"
    )
    url = f"{CHANGELIST}{claim.pk}/change/"
    response = curator_client.post(
        url,
        _claim_form(claim, note_en="Works with local disks.", note_zh_hans="需要共享存储。"),
        follow=True,
    )
    claim.refresh_from_db()
    assert claim.note_en == "Works with local disks."
    assert claim.note_zh_hans == ""
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("its Chinese was cleared" in t for t in texts)


@pytest.mark.parametrize("url", ["/admin/benchmarks/run/", "/admin/comparisons/claim/"])
def test_changelists_wrap_long_names_so_status_stays_in_view(curator_client, url):
    html = curator_client.get(url).content.decode()
    assert 'href="/static/css/admin.css"' in html
    css = (REPO / "static" / "css" / "admin.css").read_text()
    assert "#result_list td, #result_list th { white-space: normal; }" in css


def test_run_changelist_shows_status_right_after_the_id():
    from django.contrib import admin

    from benchmarks.models import Run

    assert admin.site._registry[Run].list_display[:2] == ["id", "status"]


def test_view_on_site_opens_the_fact_check_and_the_host_pages(curator_client):
    from benchmarks.models import Environment
    from comparisons.models import FactCheck

    check = FactCheck.objects.create(
        slug="alpha-is-fast", statement="Alpha is fast", verdict="unproven", explanation="E"
    )
    host = Environment.objects.create(fingerprint="a" * 32, cpu_model="Test CPU")
    for change, page in [
        (f"/admin/comparisons/factcheck/{check.pk}/change/", "/fact-checks/#alpha-is-fast"),
        (f"/admin/benchmarks/environment/{host.pk}/change/", f"/benchmarks/hosts/{host.pk}/"),
    ]:
        html = curator_client.get(change).content.decode()
        view_on_site = html.split('class="viewsitelink"')[0].rsplit('href="', 1)[1].split('"')[0]
        assert curator_client.get(view_on_site)["Location"].endswith(page)

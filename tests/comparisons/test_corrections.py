"""Reader corrections of claims: the rate limit, the form, the page, the admin queue."""

import pytest
from django.core.cache import cache
from factories import ClaimFactory

from comparisons.corrections import Rate, allow, parse_rate, window_key
from comparisons.forms import CorrectionForm
from comparisons.models import CatalogVersion, Claim, Correction

HX = {"HTTP_HX_REQUEST": "true"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
GOOD = {
    "proposed_support": "partial",
    "proposed_value": "512",
    "proposed_releases": "from 8.1",
    "source_url": "https://docs.example.org/limits",
    "note": "The vendor's limits page says 512 since 8.1.",
    "email": "",
    "website": "",
}


@pytest.fixture
def number_claim(loaded_small_catalog):
    return Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")


@pytest.fixture
def support_claim(loaded_small_catalog):
    return Claim.objects.filter(feature__kind="support").first()


def url(claim):
    return f"/claims/{claim.pk}/correction/"


# --- the rate limit (pure) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate"),
    [("5/hour", Rate(5, 3600)), ("1/m", Rate(1, 60)), ("10/day", Rate(10, 86400))],
)
def test_parse_rate_reads_drf_style_rates(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "five/hour", "5/fortnight", "0/hour", "5"])
def test_parse_rate_refuses_nonsense(text):
    with pytest.raises(ValueError, match="not a rate"):
        parse_rate(text)


def test_allow_counts_per_client_and_window():
    rate = Rate(2, 60)
    assert [allow(cache, "a", rate, 1000.0) for _ in range(3)] == [True, True, False]
    assert allow(cache, "b", rate, 1000.0)  # another client has its own count
    assert allow(cache, "a", rate, 1000.0 + 60)  # the next window starts afresh
    assert window_key("a", rate, 1000.0) != window_key("a", rate, 1060.0)


# --- the form ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_form_accepts_a_sourced_correction(number_claim):
    form = CorrectionForm(GOOD, claim=number_claim)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["proposed_value"] == 512


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("source_url", "", "This field is required."),
        ("source_url", "ftp://example.org/x", "Give a web address (http or https)."),
        ("source_url", "http://192.0.2.7/manual.html", "not an IP address"),
        ("note", "wrong", "Say in a sentence what is wrong."),
        ("proposed_value", "lots", "Enter a number."),
        ("proposed_support", "maybe", "Select a valid choice."),
        ("email", "not-an-address", "Enter a valid email address."),
    ],
)
def test_form_refuses_bad_input(number_claim, field, value, message):
    form = CorrectionForm({**GOOD, field: value}, claim=number_claim)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@pytest.mark.django_db
def test_form_asks_for_a_value_only_on_number_features(number_claim, support_claim):
    assert "proposed_value" in CorrectionForm(claim=number_claim).fields
    assert "proposed_value" not in CorrectionForm(claim=support_claim).fields


@pytest.mark.django_db
def test_honeypot_marks_bots(number_claim):
    assert CorrectionForm({**GOOD, "website": "http://spam.example"}, claim=number_claim).is_bot()
    assert not CorrectionForm(GOOD, claim=number_claim).is_bot()


# --- the page ------------------------------------------------------------------------------


def test_claim_page_links_to_the_correction_form(client, number_claim):
    html = client.get(f"/claims/{number_claim.pk}/").content.decode()
    assert f'href="{url(number_claim)}"' in html
    assert "Report an error" in html


def test_correction_page_is_a_full_page_and_a_fragment_for_htmx(client, number_claim):
    page = client.get(url(number_claim))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" in html
    assert 'id="correction"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "no-cache" in page["Cache-Control"]  # never shared: the form holds a CSRF token
    fragment = client.get(url(number_claim), **HX).content.decode()
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<section class="correction" id="correction"')


def test_a_correction_is_stored_as_new_without_touching_the_claim(client, number_claim):
    before = CatalogVersion.current().version
    response = client.post(url(number_claim), GOOD)
    assert response.status_code == 201
    correction = Correction.objects.get()
    assert correction.claim == number_claim
    assert correction.status == Correction.Status.NEW
    assert (correction.proposed_support, correction.proposed_value) == ("partial", 512)
    assert f"#{correction.pk}" in response.content.decode()
    number_claim.refresh_from_db()
    assert number_claim.support == "full"
    assert CatalogVersion.current().version == before  # not curated data: caches stay


@pytest.mark.parametrize(
    "data",
    [
        {**GOOD, "source_url": ""},
        {**GOOD, "source_url": "javascript:alert(1)"},
        {**GOOD, "note": ""},
        {**GOOD, "proposed_value": "1e999999"},
        {**GOOD, "proposed_support": "<script>"},
        {**GOOD, "note": "x" * 2001},
    ],
)
def test_bad_input_is_a_400_with_the_errors_and_nothing_stored(client, number_claim, data):
    response = client.post(url(number_claim), data)
    assert response.status_code == 400
    assert 'class="field-errors"' in response.content.decode()
    assert not Correction.objects.exists()


def test_bad_input_over_htmx_answers_the_fragment_with_errors(client, number_claim):
    response = client.post(url(number_claim), {**GOOD, "source_url": ""}, **HX)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html
    assert 'class="field-errors"' in html
    assert "data-swap-errors" in html  # site.js swaps it in instead of dropping a 4xx


def test_the_honeypot_refuses_bots_with_a_400(client, number_claim):
    response = client.post(url(number_claim), {**GOOD, "website": "cheap pills"})
    assert response.status_code == 400
    assert not Correction.objects.exists()


def test_a_client_is_rate_limited(client, number_claim, settings):
    settings.CORRECTION_RATE = "2/hour"
    codes = [client.post(url(number_claim), GOOD).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert Correction.objects.count() == 2
    other = client.post(url(number_claim), GOOD, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 201


def test_unknown_claim_is_404_and_other_methods_405(client, number_claim):
    assert client.get("/claims/999999/correction/").status_code == 404
    assert client.post("/claims/999999/correction/", GOOD).status_code == 404
    assert client.put(url(number_claim)).status_code == 405


def test_correction_page_in_chinese(client, number_claim):
    html = client.get(url(number_claim), **ZH).content.decode()
    assert "报告此条目中的错误" in html
    assert "发送更正" in html


# --- the curators' queue -------------------------------------------------------------------


@pytest.fixture
def curator_client(client, admin_user):
    client.force_login(admin_user)
    return client


CHANGELIST = "/admin/comparisons/correction/"


def test_corrections_are_listed_for_curators(curator_client, number_claim):
    Correction.objects.create(claim=number_claim, source_url="https://a.example/", note="n" * 12)
    html = curator_client.get(CHANGELIST).content.decode()
    assert "a.example" in html
    assert "Max" in html
    assert curator_client.get(f"{CHANGELIST}add/").status_code == 403


@pytest.mark.django_db
def test_correction_changelist_queries_do_not_grow(curator_client, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            Correction.objects.create(
                claim=ClaimFactory(), source_url="https://a.example/", note="n" * 12
            )

    make(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert curator_client.get(CHANGELIST).status_code == 200
    make(10)
    with django_assert_num_queries(len(small)):
        assert curator_client.get(CHANGELIST).status_code == 200


def test_accept_and_reject_record_who_and_when(curator_client, admin_user, number_claim):
    accepted = Correction.objects.create(
        claim=number_claim, source_url="https://a.example/", note="n" * 12
    )
    rejected = Correction.objects.create(
        claim=number_claim, source_url="https://b.example/", note="n" * 12
    )
    curator_client.post(CHANGELIST, {"action": "accept", "_selected_action": [accepted.pk]})
    curator_client.post(CHANGELIST, {"action": "reject", "_selected_action": [rejected.pk]})
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert (accepted.status, rejected.status) == ("accepted", "rejected")
    assert accepted.reviewed_by == admin_user
    assert accepted.reviewed_at is not None


def test_a_rejection_keeps_its_reason(curator_client, admin_user, number_claim):
    correction = Correction.objects.create(
        claim=number_claim, source_url="https://a.example/", note="n" * 12
    )
    response = curator_client.post(
        f"{CHANGELIST}{correction.pk}/change/",
        {"status": "rejected", "curator_note": "The page is about another release."},
    )
    assert response.status_code == 302, response.content[:500]
    correction.refresh_from_db()
    assert correction.status == "rejected"
    assert correction.curator_note == "The page is about another release."
    assert correction.reviewed_by == admin_user


def test_accept_and_apply_changes_the_claim_with_history_and_credit(
    curator_client, admin_user, number_claim
):
    before = CatalogVersion.current().version
    correction = Correction.objects.create(
        claim=number_claim, proposed_value=512, source_url="https://a.example/", note="n" * 12
    )
    response = curator_client.post(
        CHANGELIST, {"action": "accept_and_apply", "_selected_action": [correction.pk]}, follow=True
    )
    assert f"Applied #{correction.pk}" in response.content.decode()
    number_claim.refresh_from_db()
    assert (number_claim.support, number_claim.value) == ("full", 512)
    assert number_claim.reviewed_by == admin_user
    newest = number_claim.history.latest("history_date")
    assert newest.history_user == admin_user
    assert newest.history_change_reason == f"Reader correction #{correction.pk}"
    correction.refresh_from_db()
    assert correction.status == "accepted"
    assert CatalogVersion.current().version > before  # curated data changed: caches move on
    page = curator_client.get(f"/claims/{number_claim.pk}/").content.decode()
    assert f"(Reader correction #{correction.pk})" in page


@pytest.mark.parametrize(
    ("proposal", "reason"),
    [
        ({}, "proposes no support level or value"),
        # the claim's own rules still hold: 'partial' needs a note, which the curator writes
        ({"proposed_support": "partial"}, "Say what is missing (partial)"),
    ],
)
def test_accept_and_apply_refuses_what_cannot_be_applied(
    curator_client, number_claim, proposal, reason
):
    correction = Correction.objects.create(
        claim=number_claim, source_url="https://a.example/", note="n" * 12, **proposal
    )
    response = curator_client.post(
        CHANGELIST, {"action": "accept_and_apply", "_selected_action": [correction.pk]}, follow=True
    )
    html = response.content.decode()
    assert "Not applied" in html
    assert reason in html.replace("&#x27;", "'")
    correction.refresh_from_db()
    assert correction.status == "new"
    number_claim.refresh_from_db()
    assert number_claim.support == "full"


def test_curators_can_work_the_queue(client, number_claim, django_user_model):
    from comparisons.roles import ensure_curators_group

    curator = django_user_model.objects.create_user("cura", password="x", is_staff=True)
    curator.groups.add(ensure_curators_group())
    client.force_login(curator)
    correction = Correction.objects.create(
        claim=number_claim, source_url="https://a.example/", note="n" * 12
    )
    assert client.get(CHANGELIST).status_code == 200
    client.post(CHANGELIST, {"action": "reject", "_selected_action": [correction.pk]})
    correction.refresh_from_db()
    assert correction.status == "rejected"

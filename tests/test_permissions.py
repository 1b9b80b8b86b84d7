"""Who may do what: anonymous, token submitter, curator, admin × pages and API actions."""

import json

import pytest
from django.contrib.auth.models import Group
from helpers import DATA
from rest_framework.authtoken.models import Token

from benchmarks.models import Run
from comparisons.models import Claim
from comparisons.roles import CURATORS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("benchmark_catalog")]
ROLES = ["anonymous", "submitter", "curator", "admin"]


@pytest.fixture
def as_role(client, django_user_model):
    def login(role: str):
        client.logout()
        client.defaults.pop("HTTP_AUTHORIZATION", None)
        if role == "anonymous":
            return client, None
        if role == "admin":
            user = django_user_model.objects.create_superuser(role, password="x")
        else:
            user = django_user_model.objects.create_user(
                role, password="x", is_staff=role == "curator"
            )
            if role == "curator":
                user.groups.add(Group.objects.get(name=CURATORS))
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
        client.force_login(user)
        return client, user

    return login


def submission(notes: str) -> str:
    return json.dumps(
        {
            "format": "fio-json",
            "platform": "alpha",
            "release": "2.0",
            "environment": {"cpu_model": "Perm CPU"},
            "raw": json.loads((DATA / "fio" / "randread-4k-qd32.json").read_text()),
            "notes": notes,
        }
    )


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 401), ("submitter", 201), ("curator", 201), ("admin", 201)]
)
def test_submitting_a_run(as_role, role, expected):
    client, _ = as_role(role)
    response = client.post("/api/v1/runs/", submission(role), content_type="application/json")
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_reads_are_public_and_nobody_writes_claims_through_the_api(as_role, role):
    client, _ = as_role(role)
    claim = Claim.objects.first()
    assert client.get("/api/v1/claims/").status_code == 200
    assert client.get(f"/claims/{claim.pk}/").status_code == 200
    assert client.patch(f"/api/v1/claims/{claim.pk}/", {}).status_code in (401, 405)
    assert client.delete(f"/api/v1/runs/{claim.pk}/").status_code in (401, 405)


@pytest.mark.parametrize(
    ("role", "can_curate"),
    [("anonymous", False), ("submitter", False), ("curator", True), ("admin", True)],
)
def test_only_curators_and_admins_reach_the_claim_admin_and_publish(as_role, role, can_curate):
    client, _ = as_role(role)
    claim = Claim.objects.filter(status="published").first()
    Claim.objects.filter(pk=claim.pk).update(status="draft")
    page = client.get(f"/admin/comparisons/claim/{claim.pk}/change/")
    assert (page.status_code == 200) is can_curate
    client.post("/admin/comparisons/claim/", {"action": "publish", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert (claim.status == "published") is can_curate


@pytest.mark.parametrize(
    ("role", "can_review"),
    [("anonymous", False), ("submitter", False), ("curator", True), ("admin", True)],
)
def test_only_curators_and_admins_accept_flagged_runs(as_role, client, role, can_review):
    submitter, _ = as_role("submitter")
    run_id = submitter.post(
        "/api/v1/runs/", submission("flag me"), content_type="application/json"
    ).json()["id"]
    Run.objects.filter(pk=run_id).update(status=Run.Status.FLAGGED)
    client, _ = as_role(role) if role != "submitter" else (submitter, None)
    client.post("/admin/benchmarks/run/", {"action": "accept", "_selected_action": [run_id]})
    assert (Run.objects.get(pk=run_id).status == Run.Status.ACCEPTED) is can_review


def test_a_curator_edit_in_the_admin_is_in_the_history_with_who(as_role):
    client, curator = as_role("curator")
    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    citation = claim.citations.get()
    data = {
        "platform": claim.platform_id,
        "feature": claim.feature_id,
        "release_from": claim.release_from_id,
        "support": "full",
        "value": "480",
        "status": "published",
        "confidence": "high",
        "note": "Raised in 2.0.",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-id": citation.pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": citation.source_id,
        "citations-0-locator": citation.locator,
        "citations-0-quote": citation.quote,
        "citations-0-stance": "supports",
        "citations-0-position": "1",
    }
    response = client.post(f"/admin/comparisons/claim/{claim.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    newest = claim.history.latest("history_date")
    assert newest.value == 480
    assert newest.history_user == curator

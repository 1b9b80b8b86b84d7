"""A curator can mark an account trusted: its runs skip the plausibility screening that
every other account's runs go through."""

import json

import pytest
from helpers import DATA

from benchmarks.models import Run
from benchmarks.trust import TRUSTED_GROUP, is_trusted, trusted_group

URL = "/api/v1/runs/"
pytestmark = pytest.mark.usefixtures("benchmark_catalog")


def above_line_rate():
    """An iperf3 run faster than the 1 Gbit/s NIC it claims: screening flags it."""
    return {
        "format": "iperf3-json",
        "platform": "alpha",
        "release": "2.0",
        "environment": {"cpu_model": "Test CPU 9000", "cores": 8, "nic_speed_gbps": 1},
        "raw": json.loads((DATA / "iperf3" / "tcp-2s.json").read_text()),
    }


def post(client, payload):
    return client.post(URL, json.dumps(payload), content_type="application/json")


def test_an_untrusted_accounts_implausible_run_is_flagged(token_client, submitter):
    assert not is_trusted(submitter)
    body = post(token_client, above_line_rate()).json()
    assert body["status"] == "flagged"
    assert "line rate" in body["status_reason"]
    assert Run.objects.get().status == Run.Status.FLAGGED


def test_a_trusted_accounts_run_is_accepted_without_screening(token_client, submitter):
    trusted_group().user_set.add(submitter)
    assert is_trusted(submitter)
    response = post(token_client, above_line_rate())
    assert response.status_code == 201
    assert response.json()["status"] == "accepted"
    assert response.json()["status_reason"] == ""
    assert Run.objects.get().status == Run.Status.ACCEPTED


def test_the_group_exists_after_migrating_so_the_admin_lists_it(db):
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    # The migration's own step (a test database flushed by another test loses its rows).
    migration = importlib.import_module("benchmarks.migrations.0009_trusted_submitters_group")
    Group.objects.filter(name=TRUSTED_GROUP).delete()
    migration.create_group(apps, None)
    assert migration.TRUSTED_GROUP == TRUSTED_GROUP
    assert Group.objects.filter(name=TRUSTED_GROUP).exists()


def test_a_curator_trusts_and_untrusts_accounts_in_the_admin(client, admin_user, submitter):
    other = type(submitter).objects.create_user("newcomer")
    client.force_login(admin_user)
    changelist = "/admin/auth/user/"
    client.post(changelist, {"action": "mark_trusted", "_selected_action": [submitter.pk]})
    assert is_trusted(submitter)
    assert not is_trusted(other)
    trusted_list = client.get(changelist, {"trusted": "yes"}).content.decode()
    assert ">submitter<" in trusted_list
    assert ">newcomer<" not in trusted_list
    screened_list = client.get(changelist, {"trusted": "no"}).content.decode()
    assert ">newcomer<" in screened_list
    assert ">submitter<" not in screened_list
    client.post(changelist, {"action": "unmark_trusted", "_selected_action": [submitter.pk]})
    assert not is_trusted(submitter)

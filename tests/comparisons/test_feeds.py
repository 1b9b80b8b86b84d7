import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.models import Claim

pytestmark = pytest.mark.django_db


def test_changes_feed_lists_claim_edits_with_who_and_a_link(
    client, loaded_small_catalog, admin_user
):
    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    claim.value = 480
    claim._history_user = admin_user
    claim.save()
    response = client.get("/changes.atom")
    xml = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert f"/claims/{claim.pk}/" in xml
    assert "480 vCPUs" in xml
    assert f"<name>{admin_user.username}</name>" in xml


def test_platform_and_feature_feeds_are_filtered(client, loaded_small_catalog):
    alpha = client.get("/platforms/alpha/changes.atom").content.decode()
    beta = client.get("/platforms/beta/changes.atom").content.decode()
    assert "Alpha" in alpha
    assert "Beta ·" not in alpha
    assert "Beta ·" in beta
    feature = client.get("/features/max-vcpus-per-vm/changes.atom").content.decode()
    assert "Maximum vCPUs per VM" in feature
    assert "Live migration (" not in feature
    assert client.get("/platforms/nope/changes.atom").status_code == 404


def test_feed_queries_are_constant(client, loaded_small_catalog):
    with CaptureQueriesContext(connection) as small:
        client.get("/changes.atom")
    for claim in Claim.objects.all():
        claim.note = "again"
        claim.save()
    with CaptureQueriesContext(connection) as large:
        client.get("/changes.atom")
    assert len(large) == len(small)


def test_feeds_answer_in_chinese_when_asked(client, loaded_small_catalog):
    xml = client.get("/changes.atom", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "VirtCompare：目录变更" in xml
    assert "当前：" in xml
    assert "Now:" not in xml


def test_each_feed_links_to_the_page_it_watches(client, loaded_small_catalog):
    def link(url: str) -> str:
        xml = client.get(url).content.decode()
        return xml.split('<link href="', 1)[1].split('"', 1)[0]

    assert link("/changes.atom") == "http://testserver/fact-checks/"
    assert link("/platforms/alpha/changes.atom") == "http://testserver/platforms/alpha/"
    feature = link("/features/max-vcpus-per-vm/changes.atom")
    assert feature == "http://testserver/compare/?q=max-vcpus-per-vm"

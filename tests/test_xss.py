"""Hostile text in every field people supply renders inert on pages, charts and the admin."""

import json

import pytest
from django.db import IntegrityError, transaction
from helpers import make_runs

from benchmarks.models import Environment, Run
from comparisons.models import Claim, FactCheck, Scenario, Source

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
DANGEROUS = ["<script>alert", "<img src=x onerror", 'href="javascript:']
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("benchmark_catalog")]


@pytest.fixture
def hostile():
    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    claim.note = PAYLOAD
    claim.save()
    source = claim.citations.get().source
    source.title = PAYLOAD
    source.save()
    citation = claim.citations.get()
    citation.quote = PAYLOAD
    citation.save()
    make_runs(12)
    Environment.objects.update(cpu_model=PAYLOAD, name=PAYLOAD)
    Run.objects.update(notes=PAYLOAD, guest_os=PAYLOAD)
    FactCheck.objects.create(
        slug="x", statement=PAYLOAD, verdict="wrong", explanation=PAYLOAD, concerns=[]
    )
    Scenario.objects.create(
        slug="x", name=PAYLOAD, description=PAYLOAD, rationale=PAYLOAD, category_weights={}
    )
    return claim


def assert_inert(html: str) -> None:
    for needle in DANGEROUS:
        assert needle not in html


@pytest.mark.parametrize(
    "path",
    [
        "/compare/?platforms=alpha,beta",
        "/platforms/alpha/",
        "/fact-checks/",
        "/benchmarks/",
        "/benchmarks/sysbench-cpu/",
        "/recommend/",
        "/recommend/x/",
    ],
)
def test_pages_escape_hostile_text(client, hostile, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_inert(response.content.decode())


def test_claim_panel_and_run_page_escape_hostile_text(client, hostile):
    assert_inert(client.get(f"/claims/{hostile.pk}/").content.decode())
    assert_inert(client.get(f"/claims/{hostile.pk}/", HTTP_HX_REQUEST="true").content.decode())
    run = Run.objects.first()
    assert_inert(client.get(f"/runs/{run.pk}/").content.decode())


def test_chart_data_escapes_plotly_hover_html(client, hostile):
    html = client.get("/benchmarks/sysbench-cpu/").content.decode()
    island = html.split('id="runs-figure" type="application/json">', 1)[1].split("</script>")[0]
    figure = json.loads(island)
    hover = " ".join(t for trace in figure["data"] for t in trace["hovertext"])
    assert "&lt;script&gt;" in hover
    assert "<script>" not in hover


def test_admin_changelists_escape_hostile_text(admin_client, hostile):
    for path in [
        "/admin/comparisons/claim/",
        "/admin/comparisons/source/",
        "/admin/benchmarks/run/",
    ]:
        assert_inert(admin_client.get(path).content.decode())
    source = hostile.citations.get().source
    assert_inert(
        admin_client.get(f"/admin/comparisons/source/{source.pk}/change/").content.decode()
    )


def test_source_urls_are_limited_to_http(hostile):
    source = hostile.citations.get().source
    source.url = "javascript:alert(1)"
    with pytest.raises(IntegrityError), transaction.atomic():
        source.save()
    assert Source.objects.filter(url__startswith="javascript").count() == 0

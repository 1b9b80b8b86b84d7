"""Recommendations weigh the estimated cost of the scenario's estate (Cost and licensing)."""

import pytest
import yaml
from price_helpers import load_costed_scenario

from comparisons.catalog import CatalogInvalid
from costs.models import PricePoint, ScenarioEstate
from costs.services import load_scenario_estates


@pytest.fixture
def costed(db, tmp_path):
    return load_costed_scenario(tmp_path / "catalog")


def ranking(client, query: str = "") -> list[str]:
    body = client.get(f"/api/v1/scenarios/costed/recommendation/?{query}").json()
    return [p["platform"] for p in body["ranked"]]


def test_the_cost_slider_changes_the_ranking(client, costed):
    assert ranking(client) == ["vmware-esxi", "hyper-v"]
    assert ranking(client, "w-licensing=5") == ["hyper-v", "vmware-esxi"]


def test_api_reasons_carry_the_estimated_cost_with_a_link_to_its_line_items(client, costed):
    body = client.get("/api/v1/scenarios/costed/recommendation/?w-licensing=5").json()
    hyperv = body["ranked"][0]
    assert hyperv["cost"] == pytest.approx(1 - 42760 / 94600)
    reason = next(r for r in hyperv["helped"] if r["feature"] == "estimated-cost")
    assert reason["detail"] == "USD 42,760.00 over 3 years"
    assert reason["source_url"].startswith("/cost/?hosts=4&sockets=2&cores=16&windows_vms=40")
    assert reason["source_url"].endswith("#items-hyper-v")


def test_page_shows_each_platforms_cost_and_its_sourced_line_items(client, costed):
    html = client.get("/recommend/costed/").content.decode()
    assert "estimated cost USD 94,600.00" in html
    assert "estimated cost USD 42,760.00" in html
    assert "VMware vSphere Foundation (VVF) subscription: USD 51,840.00" in html
    assert "https://example.org/vmw-redress-vcf-brief" in html
    assert "/cost/?hosts=4&amp;sockets=2" in html
    assert "cost term" not in html  # the old hidden proxy is gone


def test_calculator_inputs_in_the_url_override_the_scenarios_estate(client, costed):
    # One host with 2 Windows VMs: Hyper-V USD 1,069 x 2 (32 cores) vs ESXi that plus VVF.
    body = client.get("/api/v1/scenarios/costed/recommendation/?hosts=1&windows_vms=2").json()
    reasons = [r for p in body["ranked"] for r in (*p["helped"], *p["hurt"])]
    details = {r["detail"] for r in reasons if r["feature"] == "estimated-cost"}
    assert "USD 2,138.00 over 3 years" in details


def test_bad_calculator_inputs_fall_back_to_the_scenarios_estate(client, costed):
    response = client.get("/api/v1/scenarios/costed/recommendation/?hosts=0&w-licensing=5")
    assert response.status_code == 200
    reason = response.json()["ranked"][0]["helped"][0]
    assert reason["detail"] == "USD 42,760.00 over 3 years"


def test_unknown_price_is_not_a_free_platform(client, costed):
    PricePoint.objects.filter(key="vmware-vvf").update(amount=None, note="gone")
    body = client.get("/api/v1/scenarios/costed/recommendation/?w-licensing=5").json()
    esxi = next(p for p in body["ranked"] if p["platform"] == "vmware-esxi")
    assert esxi["cost"] is None


def test_a_scenario_without_an_estate_has_no_cost(client, costed):
    ScenarioEstate.objects.all().delete()
    body = client.get("/api/v1/scenarios/costed/recommendation/").json()
    assert {p["cost"] for p in body["ranked"]} == {None}


def test_price_edits_change_the_recommendations_etag(client, costed):
    first = client.get("/api/v1/scenarios/costed/recommendation/")["ETag"]
    point = PricePoint.objects.get(key="vmware-vvf")
    point.note = "re-checked"
    point.save()
    assert client.get("/api/v1/scenarios/costed/recommendation/")["ETag"] != first


def test_recommendation_query_count_does_not_grow_with_the_price_list(client, costed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comparisons.models import Platform

    def count(query: str) -> int:
        client.get(f"/recommend/costed/?{query}")  # warm the caches the first request fills
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/recommend/costed/?{query}&again=1")
        return len(captured.captured_queries)

    small = count("w-licensing=1")
    kvm = Platform.objects.get(slug="kvm")
    for n in range(30):
        PricePoint.objects.create(
            key=f"x-{n}",
            platform=kvm,
            product="X",
            role="option",
            unit="none",
            kind="list",
            confidence="low",
            note="n",
        )
    assert count("w-licensing=2") == small


def test_estates_load_from_the_scenarios_file(costed, tmp_path):
    path = tmp_path / "scenarios.yaml"
    estate = {"hosts": 2, "sockets": 1, "cores": 8, "windows_vms": 3, "years": 5}
    path.write_text(yaml.safe_dump([{"slug": "costed", "estate": estate}]))
    assert load_scenario_estates(path=path) == 1
    assert ScenarioEstate.objects.get(scenario__slug="costed").years == 5


@pytest.mark.parametrize(
    "estate",
    [{"hosts": 0, "sockets": 1, "cores": 1}, {"hosts": 1, "sockets": 1, "cores": 1, "gpu": 2}],
)
def test_bad_estates_are_refused(costed, tmp_path, estate):
    path = tmp_path / "scenarios.yaml"
    path.write_text(yaml.safe_dump([{"slug": "costed", "estate": estate}]))
    with pytest.raises(CatalogInvalid):
        load_scenario_estates(path=path)


def test_every_shipped_scenario_declares_an_estate():
    from helpers import REPO

    for entry in yaml.safe_load((REPO / "fixtures" / "scenarios.yaml").read_text()):
        assert {"hosts", "sockets", "cores", "years"} <= set(entry["estate"]), entry["slug"]
        assert entry["cost_weight"] > 0, entry["slug"]

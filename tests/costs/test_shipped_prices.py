"""The shipped catalogue, price list and scenarios together (the issue's done-when checks)."""

import pytest
from helpers import REPO, load_shipped_catalog

from costs import rules
from costs.selectors import hypervisors, price_rows, scenario_estimate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """Loaded once for the module inside a transaction that is rolled back afterwards (each
    test's own changes roll back to it)."""
    from django.db import transaction

    from comparisons.services import load_scenarios
    from costs.services import load_prices, load_scenario_estates

    with django_db_blocker.unblock(), transaction.atomic():
        load_shipped_catalog()
        load_scenarios(REPO / "fixtures" / "scenarios.yaml")
        load_prices(path=REPO / "fixtures" / "prices.yaml")
        load_scenario_estates(path=REPO / "fixtures" / "scenarios.yaml")
        yield
        transaction.set_rollback(True)


def test_windows_azure_scenario_costs_hyper_v_less_than_esxi_with_every_item_sourced(shipped):

    from comparisons.models import Scenario

    scenario = Scenario.objects.get(slug="windows-azure-hybrid")
    query, result = scenario_estimate(scenario, None, hypervisors())
    assert (query.hosts, query.sockets, query.cores, query.windows_vms, query.years) == (
        4,
        2,
        16,
        40,
        3,
    )
    hyperv, esxi = result.for_platform("hyper-v"), result.for_platform("vmware-esxi")
    assert hyperv.totals["USD"] < esxi.totals["USD"]
    for cost in (hyperv, esxi):
        assert cost.complete
        for item in cost.items:
            assert item.price.source_url.startswith("https://"), item.label
            assert item.price.checked, item.label


def test_home_lab_costs_nothing_on_open_source_platforms_without_support(shipped):
    result = rules.estimate(
        rules.Estate(hosts=1, sockets=1, cores=8, linux_vms=4, years=3),
        hypervisors(),
        [row.price for row in price_rows()],
    )
    for slug in ("proxmox-ve", "xcp-ng", "kvm"):
        assert result.for_platform(slug).is_free, slug
    assert not result.for_platform("nutanix-ahv").complete  # unknown, never zero


def test_the_cost_slider_moves_the_ha_scenario(shipped, client):
    def first(query: str) -> str:
        url = f"/api/v1/scenarios/enterprise-ha-cluster/recommendation/?{query}"
        return client.get(url).json()["ranked"][0]["platform"]

    assert first("") == "vmware-esxi"
    assert first("w-licensing=5") != "vmware-esxi"

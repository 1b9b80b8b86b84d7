"""Curating prices in the admin: changelists at two sizes, edit pages, history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.models import Platform, Scenario
from costs.models import PricePoint, ScenarioEstate


@pytest.fixture
def curator_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _more(count: int) -> None:
    kvm = Platform.objects.get(slug="kvm")
    start = PricePoint.objects.count()
    for n in range(start, start + count):
        PricePoint.objects.create(
            key=f"more-{n}",
            platform=kvm,
            product=f"More {n}",
            role="option",
            unit="none",
            kind="list",
            confidence="low",
            note="n",
        )
        scenario = Scenario.objects.create(slug=f"s-{n}", name=f"S {n}", rationale="r")
        ScenarioEstate.objects.create(scenario=scenario, hosts=1, sockets=1, cores=8)


@pytest.mark.parametrize("url", ["/admin/costs/pricepoint/", "/admin/costs/scenarioestate/"])
def test_changelist_queries_do_not_grow_with_rows(curator_client, price_list, url):
    _more(2)
    curator_client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert curator_client.get(url).status_code == 200
    _more(30)
    with CaptureQueriesContext(connection) as large:
        assert curator_client.get(url).status_code == 200
    assert len(large) == len(small)


def test_price_change_page_shows_its_citations_and_history(curator_client, price_list):
    point = PricePoint.objects.get(key="vmware-72-core-minimum-order")
    page = curator_client.get(f"/admin/costs/pricepoint/{point.pk}/change/")
    assert page.status_code == 200
    assert "price-heissler-72-cores" in page.content.decode() or "Title of" in page.content.decode()
    history = curator_client.get(f"/admin/costs/pricepoint/{point.pk}/history/")
    assert history.status_code == 200

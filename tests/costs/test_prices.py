"""The price list: the shipped file, its loader's data rules, and the model's constraints."""

import pytest
import yaml
from django.db import IntegrityError
from helpers import REPO
from price_helpers import PRICES, price_source_keys

from comparisons.catalog import CatalogInvalid
from costs.models import PriceCitation, PricePoint
from costs.services import load_prices


def shipped_source_keys() -> set[str]:
    keys = set()
    for path in (REPO / "fixtures" / "catalog" / "sources").glob("*.yaml"):
        keys |= {entry["key"] for entry in yaml.safe_load(path.read_text())}
    return keys


def test_every_shipped_price_cites_a_source_of_the_shipped_catalogue():
    assert price_source_keys() <= shipped_source_keys()


def test_every_shipped_amount_is_sourced_and_every_unknown_says_why():
    for entry in yaml.safe_load(PRICES.read_text()):
        if entry.get("amount") is None:
            assert entry.get("note"), entry["key"]
        else:
            stances = [c.get("stance", "supports") for c in entry.get("citations") or []]
            assert "supports" in stances, entry["key"]


def test_loading_creates_points_and_citations(price_list):
    assert price_list.created == PricePoint.objects.count() > 10
    assert price_list.citations == PriceCitation.objects.count()
    minimum = PricePoint.objects.get(key="vmware-72-core-minimum-order")
    assert minimum.status == "disputed"
    assert set(minimum.citations.values_list("stance", flat=True)) == {"supports", "disputes"}


def test_loading_again_updates_in_place(price_list):
    again = load_prices(path=PRICES)
    assert again.created == 0
    assert again.updated == price_list.created


def test_nutanix_is_unknown_never_zero(price_list):
    point = PricePoint.objects.get(key="nutanix-nci")
    assert point.amount is None
    assert point.note


def write(tmp_path, entries) -> object:
    path = tmp_path / "prices.yaml"
    path.write_text(yaml.safe_dump(entries))
    return path


def test_a_price_without_a_supporting_citation_is_refused(price_list, tmp_path):
    entry = {
        "key": "x",
        "platform": "kvm",
        "product": "X",
        "role": "support",
        "amount": 10,
        "currency": "USD",
        "unit": "per-host-year",
        "kind": "list",
        "status": "published",
        "confidence": "low",
    }
    with pytest.raises(CatalogInvalid) as caught:
        load_prices(path=write(tmp_path, [entry]))
    assert "supporting citation" in str(caught.value.problems[0])
    assert PricePoint.objects.filter(key="kvm-free").exists()  # nothing was replaced


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": None, "note": ""}, "unknown price needs a note"),
        ({"currency": ""}, "needs its currency"),
        ({"amount": -1}, "negative"),
        ({"amount": "cheap"}, "not a number"),
        ({"platform": "nope"}, "unknown platform"),
        ({"unit": "per-fortnight"}, "unit"),
        ({"citations": [{"source": "missing"}]}, "unknown source"),
    ],
)
def test_bad_entries_are_refused_with_a_message(price_list, tmp_path, change, message):
    entry = {
        "key": "x",
        "platform": "kvm",
        "product": "X",
        "role": "support",
        "amount": 10,
        "currency": "USD",
        "unit": "per-host-year",
        "kind": "list",
        "status": "draft",
        "confidence": "low",
        **change,
    }
    with pytest.raises(CatalogInvalid) as caught:
        load_prices(path=write(tmp_path, [entry]))
    assert any(message in str(p) for p in caught.value.problems)


def test_the_database_refuses_an_unknown_price_without_a_note(platforms):
    from comparisons.models import Platform

    with pytest.raises(IntegrityError):
        PricePoint.objects.create(
            key="y",
            platform=Platform.objects.get(slug="kvm"),
            product="Y",
            role="support",
            unit="per-host-year",
            kind="list",
            confidence="low",
        )


def test_price_history_is_kept(price_list):
    point = PricePoint.objects.get(key="vmware-vvf")
    point.note = "changed"
    point.save()
    assert point.history.count() == 2
    assert point.history.first().note == "changed"

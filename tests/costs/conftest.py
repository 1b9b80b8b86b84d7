import datetime

import pytest
import yaml
from helpers import REPO

PLATFORMS = [
    ("hyper-v", "Hyper-V"),
    ("vmware-esxi", "VMware ESXi"),
    ("proxmox-ve", "Proxmox VE"),
    ("xcp-ng", "XCP-ng"),
    ("nutanix-ahv", "Nutanix AHV"),
    ("kvm", "KVM"),
]
PRICES = REPO / "fixtures" / "prices.yaml"


def price_source_keys() -> set[str]:
    data = yaml.safe_load(PRICES.read_text())
    return {c["source"] for entry in data for c in entry.get("citations") or []}


@pytest.fixture
def platforms(db):
    from comparisons.models import Platform, Vendor

    vendor = Vendor.objects.create(slug="v", name="Vendor")
    Platform.objects.create(
        slug="bare-metal", name="Bare metal", vendor=vendor, kind="baseline", is_baseline=True
    )
    for position, (slug, name) in enumerate(PLATFORMS):
        Platform.objects.create(
            slug=slug, name=name, vendor=vendor, kind="type1", position=position
        )


@pytest.fixture
def price_list(platforms):
    """The shipped price list, on stand-in sources with the keys it cites."""
    from comparisons.models import Source
    from costs.services import load_prices

    for key in sorted(price_source_keys()):
        Source.objects.create(
            key=key,
            url=f"https://example.org/{key}",
            title=f"Title of {key}",
            publisher="Publisher",
            kind="article",
            checked=datetime.date(2026, 12, 2),
        )
    return load_prices(path=PRICES)

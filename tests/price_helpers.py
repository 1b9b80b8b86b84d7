"""The shipped price list on stand-in platforms and sources, for the cost tests."""

import datetime

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


def create_platforms() -> None:
    from comparisons.models import Platform, Vendor

    vendor, _created = Vendor.objects.get_or_create(slug="v", defaults={"name": "Vendor"})
    Platform.objects.get_or_create(
        slug="bare-metal",
        defaults={"name": "Bare metal", "vendor": vendor, "kind": "baseline", "is_baseline": True},
    )
    for position, (slug, name) in enumerate(PLATFORMS):
        Platform.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "vendor": vendor, "kind": "type1", "position": position},
        )


def load_price_list():
    """Stand-in sources with the keys the shipped price list cites, then the list itself."""
    from comparisons.models import Source
    from costs.services import load_prices

    create_platforms()
    for key in sorted(price_source_keys()):
        Source.objects.get_or_create(
            key=key,
            defaults={
                "url": f"https://example.org/{key}",
                "title": f"Title of {key}",
                "publisher": "Publisher",
                "kind": "article",
                "checked": datetime.date(2026, 12, 2),
            },
        )
    return load_prices(path=PRICES)

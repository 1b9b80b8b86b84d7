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
                "kind": "press",
                "checked": datetime.date(2026, 12, 2),
            },
        )
    return load_prices(path=PRICES)


def costed_catalog() -> dict:
    """Hyper-V and ESXi only: ESXi has live migration, Hyper-V does not; neither is open source."""
    source = {
        "key": "doc",
        "url": "https://example.org/doc",
        "title": "Doc",
        "publisher": "Acme",
        "kind": "vendor-doc",
        "checked": "2026-12-02",
    }

    def claim(feature: str, support: str, release: str) -> dict:
        return {
            "feature": feature,
            "from": release,
            "support": support,
            "status": "published",
            "confidence": "high",
            "citations": [{"source": "doc", "quote": "q"}],
        }

    return {
        "vendors.yaml": [{"slug": "acme", "name": "Acme", "homepage": None}],
        "categories.yaml": [
            {
                "slug": "mobility",
                "name": "Mobility",
                "features": [{"slug": "live-migration", "name": "Live migration"}],
            },
            {
                "slug": "licensing",
                "name": "Cost and licensing",
                "features": [{"slug": "open-source", "name": "Open-source licence"}],
            },
        ],
        "platforms/hyper-v.yaml": {
            "slug": "hyper-v",
            "name": "Hyper-V",
            "vendor": "acme",
            "kind": "type1",
            "releases": [{"version": "2025", "current": True}],
        },
        "platforms/vmware-esxi.yaml": {
            "slug": "vmware-esxi",
            "name": "VMware ESXi",
            "vendor": "acme",
            "kind": "type1",
            "releases": [{"version": "8.0", "current": True}],
        },
        "sources/doc.yaml": [source],
        "claims/hyper-v.yaml": [
            claim("live-migration", "none", "2025"),
            claim("open-source", "none", "2025"),
        ],
        "claims/vmware-esxi.yaml": [
            claim("live-migration", "full", "8.0"),
            claim("open-source", "none", "8.0"),
        ],
    }


def load_costed_scenario(root):
    """The costed catalogue, the price list and a scenario costed for 4 x 2 x 16, 40 Windows VMs.

    Cost values: Hyper-V 1 - 42,760/94,600 = 0.548, ESXi 0. Score with licensing weight w:
    ESXi 1/(1+w), Hyper-V 0.548w/(1+w): ESXi leads at w = 0.5, Hyper-V from w > 1.83.
    """
    from helpers import write_catalog

    from comparisons.models import Scenario
    from comparisons.services import load_catalog_dir
    from costs.models import ScenarioEstate

    load_catalog_dir(write_catalog(root, costed_catalog()))
    load_price_list()
    scenario = Scenario.objects.create(
        slug="costed",
        name="Costed",
        rationale="Test.",
        category_weights={"mobility": 1, "licensing": 0.5},
        feature_weights={"open-source": 0},
        cost_weight=1,
    )
    ScenarioEstate.objects.create(
        scenario=scenario, hosts=4, sockets=2, cores=16, windows_vms=40, linux_vms=0, years=3
    )
    return scenario

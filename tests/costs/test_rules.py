"""The cost rules, with the worked examples written out (prices as in fixtures/prices.yaml)."""

from decimal import Decimal

import pytest

from costs import rules
from costs.rules import Estate, Price

STD = Price(
    "windows-server-2025-standard",
    "hyper-v",
    "Windows Server 2025 Standard",
    "guest-licence",
    Decimal("1069"),
    "USD",
    "per-16-cores",
)
DC = Price(
    "windows-server-2025-datacenter",
    "hyper-v",
    "Windows Server 2025 Datacenter",
    "guest-licence",
    Decimal("6155"),
    "USD",
    "per-16-cores",
)
VVF = Price(
    "vmware-vvf",
    "vmware-esxi",
    "VVF",
    "licence",
    Decimal("135"),
    "USD",
    "per-core-year",
    min_cores_per_cpu=16,
)
VCF = Price(
    "vmware-vcf",
    "vmware-esxi",
    "VCF",
    "licence",
    Decimal("350"),
    "USD",
    "per-core-year",
    min_cores_per_cpu=16,
)
MIN72 = Price(
    "vmware-72-core-minimum-order",
    "vmware-esxi",
    "72-core minimum",
    "minimum",
    None,
    "USD",
    "none",
    status="disputed",
    min_cores_per_order=72,
)
PVE_FREE = Price("pve-free", "proxmox-ve", "PVE", "licence", Decimal(0), "EUR", "none")
PVE_BASIC = Price(
    "pve-basic",
    "proxmox-ve",
    "Basic",
    "support",
    Decimal("16.58"),
    "EUR",
    "per-socket-month",
    tier="basic",
)
XCP_FREE = Price("xcp-free", "xcp-ng", "XCP-ng", "licence", Decimal(0), "EUR", "none")
XCP_PRO = Price(
    "xcp-pro", "xcp-ng", "Vates Pro", "support", Decimal("1250"), "EUR", "per-host-year"
)
KVM_FREE = Price("kvm-free", "kvm", "KVM", "licence", Decimal(0), "USD", "none")
KVM_SUPPORT = Price(
    "kvm-support", "kvm", "Distribution support", "support", None, "USD", "per-host-year"
)
NUTANIX = Price(
    "nutanix-nci", "nutanix-ahv", "NCI", "licence", None, "USD", "per-core-year", note="unknown"
)
PRICES = [STD, DC, VVF, VCF, MIN72, PVE_FREE, PVE_BASIC, XCP_FREE, XCP_PRO, KVM_FREE]
PRICES += [KVM_SUPPORT, NUTANIX]
PLATFORMS = {
    "hyper-v": "Hyper-V",
    "vmware-esxi": "ESXi",
    "proxmox-ve": "Proxmox VE",
    "xcp-ng": "XCP-ng",
    "nutanix-ahv": "Nutanix AHV",
    "kvm": "KVM",
}


def cost(estate: Estate, platform: str) -> rules.PlatformCost:
    result = rules.estimate(estate, {platform: PLATFORMS[platform]}, PRICES)
    return result.platforms[0]


def test_vmware_licenses_16_cores_per_cpu_when_cpus_have_fewer():
    # 2 hosts x 2 CPUs x 8 cores = 32 physical cores, licensed as 2 x 2 x 16 = 64 cores.
    estate = Estate(hosts=2, sockets=2, cores=8, years=1)
    assert rules.vmware_licensed_cores(estate, 16) == 64
    item = cost(estate, "vmware-esxi").items[0]
    assert item.amount == Decimal("8640.00")  # 64 cores x $135 x 1 year


def test_vmware_counts_physical_cores_above_the_minimum():
    # 1 host x 2 CPUs x 24 cores = 48 cores (above 16 per CPU), 3 years of VVF: 48 x 135 x 3.
    estate = Estate(hosts=1, sockets=2, cores=24, years=3)
    assert cost(estate, "vmware-esxi").items[0].amount == Decimal("19440.00")


def test_windows_licenses_8_cores_per_processor_and_16_per_server():
    assert rules.windows_licensed_cores(Estate(sockets=1, cores=4)) == 16  # server minimum
    assert rules.windows_licensed_cores(Estate(sockets=4, cores=4)) == 32  # 8 per processor
    assert rules.windows_licensed_cores(Estate(sockets=2, cores=12)) == 24  # all physical cores
    assert rules.windows_licensed_cores(Estate(sockets=1, cores=17)) == 18  # 2-core packs


def test_three_windows_vms_on_one_host_need_two_standard_stacks_or_datacenter():
    # 1 host x 2 x 8 cores = 16 cores. 3 VMs -> ceil(3/2) = 2 Standard stacks = 2 x $1,069 =
    # $2,138, cheaper than Datacenter at $6,155, so Standard is chosen.
    estate = Estate(hosts=1, sockets=2, cores=8, windows_vms=3)
    assert rules.standard_stacks(3, host_os=True) == 2
    items = cost(estate, "hyper-v").items
    assert len(items) == 1
    assert items[0].price.key == STD.key
    assert items[0].amount == Decimal("2138.00")


def test_datacenter_wins_once_standard_stacks_cost_more():
    # 14 VMs on one 16-core host: 7 Standard stacks = $7,483 > Datacenter $6,155.
    estate = Estate(hosts=1, sockets=2, cores=8, windows_vms=14)
    item = cost(estate, "hyper-v").items[0]
    assert item.price.key == DC.key
    assert item.amount == Decimal("6155.00")


def test_hyper_v_host_needs_a_windows_licence_even_without_windows_guests():
    estate = Estate(hosts=2, sockets=1, cores=16, linux_vms=10)
    item = cost(estate, "hyper-v").items[0]
    assert item.price.key == STD.key
    assert item.amount == Decimal("2138.00")  # 2 hosts x 1 stack x 16 cores


def test_other_platforms_need_no_windows_licence_without_windows_guests():
    estate = Estate(hosts=2, linux_vms=10)
    roles = {i.price.role for i in cost(estate, "vmware-esxi").items}
    assert "guest-licence" not in roles


def test_owned_datacenter_makes_the_windows_licences_zero_and_says_so():
    estate = Estate(hosts=2, windows_vms=20, owned=frozenset({"windows-datacenter"}))
    item = cost(estate, "hyper-v").items[0]
    assert item.owned
    assert item.amount == 0


def test_one_owned_standard_stack_per_host_is_subtracted():
    # 1 host, 16 cores, 3 VMs: 2 stacks needed, 1 owned -> buy 1 stack ($1,069).
    estate = Estate(
        hosts=1, sockets=2, cores=8, windows_vms=3, owned=frozenset({"windows-standard"})
    )
    item = cost(estate, "hyper-v").items[0]
    assert item.amount == Decimal("1069.00")


def test_owned_vmware_subscription_is_listed_at_zero():
    estate = Estate(hosts=1, owned=frozenset({"vmware"}))
    item = cost(estate, "vmware-esxi").items[0]
    assert item.owned
    assert item.amount == 0


def test_windows_guests_cost_the_same_licences_on_every_hypervisor():
    estate = Estate(hosts=2, sockets=2, cores=16, windows_vms=8)
    on_hyperv = cost(estate, "hyper-v").items[0]
    on_proxmox = [i for i in cost(estate, "proxmox-ve").items if i.price.role == "guest-licence"]
    assert on_proxmox[0].amount == on_hyperv.amount


def test_done_when_4_hosts_40_windows_vms_3_years_hyper_v_is_cheaper_than_esxi():
    # 4 hosts x 2 CPUs x 16 cores, 40 Windows VMs (10 per host), 3 years.
    # Windows: 32 cores per host; 10 VMs -> 5 Standard stacks = 5 x 2 x $1,069 = $10,690 per
    #   host, cheaper than Datacenter (2 x $6,155 = $12,310): 4 x $10,690 = $42,760 (one-off).
    # ESXi: the same $42,760 for the Windows guests + VVF 128 cores x $135 x 3 = $51,840.
    estate = Estate(hosts=4, sockets=2, cores=16, windows_vms=40, years=3)
    hyperv, esxi = cost(estate, "hyper-v"), cost(estate, "vmware-esxi")
    assert hyperv.totals == {"USD": Decimal("42760.00")}
    assert esxi.totals == {"USD": Decimal("94600.00")}
    assert hyperv.complete
    assert esxi.complete
    assert all(item.price.key for item in (*hyperv.items, *esxi.items))  # every item sourced


def test_home_lab_costs_nothing_on_the_open_source_platforms_without_support():
    estate = Estate(hosts=1, sockets=1, cores=8, linux_vms=3, years=1)
    for platform in ("proxmox-ve", "xcp-ng", "kvm"):
        assert cost(estate, platform).is_free, platform


def test_support_per_socket_per_month_over_the_term():
    # Proxmox Basic: 2 hosts x 2 sockets x EUR 16.58 x 12 months x 3 years = EUR 2,387.52.
    estate = Estate(hosts=2, sockets=2, years=3, support="basic")
    item = cost(estate, "proxmox-ve").items[-1]
    assert item.amount == Decimal("2387.52")
    assert item.currency == "EUR"


def test_support_per_host_per_year():
    estate = Estate(hosts=3, years=2, support="premium")  # the only Vates tier, any tier chosen
    assert cost(estate, "xcp-ng").items[-1].amount == Decimal("7500.00")


def test_unknown_price_makes_the_total_at_least_and_counts_it():
    estate = Estate(hosts=1, windows_vms=2)
    nutanix = cost(estate, "nutanix-ahv")
    assert nutanix.unknown_count == 1
    assert not nutanix.complete
    assert nutanix.totals == {"USD": Decimal("1069.00") * 2}  # the Windows guests are still known
    assert rules.total_label(nutanix).startswith("at least USD 2,138.00 (1 item")


def test_a_support_tier_without_a_price_is_unknown_not_zero():
    kvm = cost(Estate(support="standard"), "kvm")
    assert kvm.unknown_count == 1
    vmware = cost(Estate(support="standard"), "vmware-esxi")  # no VMware support price listed
    assert vmware.items[-1].unknown
    assert vmware.items[-1].price.key == ""


def test_disputed_72_core_minimum_is_shown_but_not_applied():
    # 1 host x 2 x 16 = 32 cores, below 72: the item says +40 cores, total has only 32 cores.
    estate = Estate(hosts=1, sockets=2, cores=16, years=1)
    esxi = cost(estate, "vmware-esxi")
    rule = esxi.items[1]
    assert rule.disputed
    assert not rule.applied
    assert not rule.unknown
    assert rule.amount == Decimal("5400.00")  # what 40 more cores would cost, for information
    assert esxi.totals == {"USD": Decimal("4320.00")}


def test_no_minimum_item_at_or_above_72_cores():
    estate = Estate(hosts=3, sockets=2, cores=12)  # 3 x 2 x 16 = 96 cores
    assert len(cost(estate, "vmware-esxi").items) == 1


def test_vcf_edition():
    estate = Estate(hosts=1, sockets=1, cores=16, years=1, vmware_edition="vcf")
    assert cost(estate, "vmware-esxi").items[0].amount == Decimal("5600.00")  # 16 x 350


def test_one_off_items_fall_in_year_one_and_subscriptions_spread_evenly():
    estate = Estate(hosts=4, sockets=2, cores=16, windows_vms=40, years=3)
    esxi = cost(estate, "vmware-esxi")
    assert [y["USD"] for y in esxi.by_year] == [
        Decimal("42760.00") + Decimal("17280.00"),
        Decimal("17280.00"),
        Decimal("17280.00"),
    ]
    assert sum(y["USD"] for y in esxi.by_year) == esxi.totals["USD"]


def test_per_year_shares_add_up_to_the_total_when_they_do_not_divide_evenly():
    item = rules.LineItem("x", "", VVF, Decimal("100.00"), "USD")
    assert sum(item.per_year(3)) == Decimal("100.00")


def test_currencies_are_not_mixed():
    estate = Estate(hosts=1, windows_vms=2, support="basic")
    proxmox = cost(estate, "proxmox-ve")
    assert set(proxmox.totals) == {"USD", "EUR"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"hosts": 0},
        {"cores": 0},
        {"years": 0},
        {"windows_vms": -1},
        {"support": "gold"},
        {"owned": frozenset({"everything"})},
        {"vmware_edition": "vsphere-standard"},
    ],
)
def test_bad_estates_are_refused(kwargs):
    with pytest.raises(ValueError):  # noqa: PT011  (the message names the field; any is fine)
        Estate(**kwargs)


def test_cost_scores_put_the_cheapest_at_one_and_unknown_at_none():
    estate = Estate(hosts=4, sockets=2, cores=16, windows_vms=40, years=3)
    result = rules.estimate(estate, PLATFORMS, PRICES)
    scores = rules.cost_scores(result)
    assert scores["vmware-esxi"].value == pytest.approx(0.0)
    assert scores["hyper-v"].value == pytest.approx(1 - 42760 / 94600)
    assert scores["nutanix-ahv"].value is None
    assert scores["hyper-v"].value == scores["proxmox-ve"].value  # same Windows licences


def test_cost_scores_name_the_currencies_left_out():
    result = rules.estimate(Estate(support="basic"), PLATFORMS, PRICES)
    scores = rules.cost_scores(result)
    assert scores["proxmox-ve"].left_out == ("EUR",)
    assert scores["proxmox-ve"].value == 1.0  # USD 0, the EUR support is not compared


def test_all_free_field_scores_one():
    result = rules.estimate(Estate(), {"proxmox-ve": "P", "kvm": "K"}, PRICES)
    assert {s.value for s in rules.cost_scores(result).values()} == {1.0}

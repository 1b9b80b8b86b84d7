"""What an estate costs on each platform: licences and support as line items, from price points.

Pure: data in, data out; no Django models, no HTTP. Every line item points at the price point it
was computed from (and so at its sources). A price nobody could source stays unknown: the item
has no amount and the total reads "at least X (n items unknown)", never a silent zero.

The rules, per platform (hosts h, sockets per host s, cores per socket c, years y):

    licensed cores per host, Windows Server   max(s * max(c, 8), 16), rounded up to 2-core packs
                                              (8 cores per processor, 16 per server)
    licensed cores per host, VMware           s * max(c, 16) (16 cores per CPU)
    Windows VMs per host                      ceil(windows_vms / h): guests spread evenly
    Windows Server Standard stacks per host   ceil(VMs per host / 2): every 2 Windows guests
                                              license all the host's cores again; a Hyper-V
                                              host needs at least 1 for its own OS
    Windows Server Datacenter per host        1 licence of all cores, unlimited guests
    Windows guest licences                    per host, the cheaper of Standard stacks and
                                              Datacenter; one-off (perpetual), paid in year 1;
                                              the same on every platform (the licence covers
                                              Windows guests whatever the hypervisor)
    per core per year                         cores * amount * y
    per socket per month                      h * s * amount * 12 * y
    per host per year                         h * amount * y
    already owned                             the item is listed with amount 0 and marked owned

A disputed minimum-order rule (VMware's 72-core order minimum) is not applied; when the estate
is below it the item says how many cores it would add. Amounts are kept in the price's own
currency: totals are per currency, nothing is converted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

SUPPORT_TIERS = ("none", "community", "basic", "standard", "premium")
OWNED_CHOICES = ("windows-datacenter", "windows-standard", "vmware")
VMWARE_EDITIONS = ("vvf", "vcf")
CENT = Decimal("0.01")

WINDOWS_MIN_PER_CPU = 8
WINDOWS_MIN_PER_SERVER = 16
WINDOWS_PACK = 2
STANDARD_VMS_PER_STACK = 2


@dataclass(frozen=True)
class Estate:
    hosts: int = 1
    sockets: int = 2
    cores: int = 16  # per socket
    windows_vms: int = 0
    linux_vms: int = 0
    years: int = 3
    support: str = "none"
    owned: frozenset[str] = frozenset()
    vmware_edition: str = "vvf"

    def __post_init__(self) -> None:
        if min(self.hosts, self.sockets, self.cores, self.years) < 1:
            raise ValueError("hosts, sockets, cores and years must be at least 1")
        if min(self.windows_vms, self.linux_vms) < 0:
            raise ValueError("VM counts must be at least 0")
        if self.support not in SUPPORT_TIERS:
            raise ValueError(f"support must be one of {SUPPORT_TIERS}")
        if not self.owned <= set(OWNED_CHOICES):
            raise ValueError(f"owned must be among {OWNED_CHOICES}")
        if self.vmware_edition not in VMWARE_EDITIONS:
            raise ValueError(f"vmware_edition must be one of {VMWARE_EDITIONS}")

    @property
    def windows_vms_per_host(self) -> int:
        return math.ceil(self.windows_vms / self.hosts)


@dataclass(frozen=True)
class Price:
    """One price point as the rules need it (the selector fills it from the database)."""

    key: str
    platform: str
    product: str
    role: str
    amount: Decimal | None
    currency: str
    unit: str
    status: str = "published"
    confidence: str = "medium"
    kind: str = "list"
    tier: str = ""
    min_cores_per_cpu: int | None = None
    min_cores_per_server: int | None = None
    min_cores_per_order: int | None = None
    includes: str = ""
    note: str = ""
    source_url: str = ""
    source_title: str = ""
    checked: str = ""  # ISO date the source was last read
    disputed_by: tuple[tuple[str, str], ...] = ()  # (url, title) of sources that disagree
    unit_label: str = ""  # the unit in words, in the request's language


@dataclass(frozen=True)
class LineItem:
    label: str
    quantity: str  # how the amount was reached, in words and numbers
    price: Price
    amount: Decimal | None  # over the whole term; None = unknown
    currency: str
    one_off: bool = False
    owned: bool = False
    applied: bool = True  # False: shown for information (a disputed rule), not in the total

    @property
    def unknown(self) -> bool:
        return self.applied and self.amount is None

    @property
    def disputed(self) -> bool:
        return self.price.status == "disputed"

    def per_year(self, years: int) -> tuple[Decimal, ...]:
        """The item's amount in each year of the term (one-off items fall in year 1)."""
        if self.amount is None or not self.applied:
            return tuple(Decimal(0) for _year in range(years))
        if self.one_off:
            return (self.amount, *(Decimal(0) for _year in range(years - 1)))
        share = (self.amount / years).quantize(CENT, ROUND_HALF_UP)
        return (*(share for _year in range(years - 1)), self.amount - share * (years - 1))


@dataclass(frozen=True)
class PlatformCost:
    platform: str
    name: str
    items: tuple[LineItem, ...]
    totals: Mapping[str, Decimal]  # currency -> known total over the term
    by_year: tuple[Mapping[str, Decimal], ...]
    unknown_count: int

    @property
    def complete(self) -> bool:
        return self.unknown_count == 0

    @property
    def is_free(self) -> bool:
        return self.complete and all(v == 0 for v in self.totals.values())

    def total_in(self, currency: str) -> Decimal:
        return self.totals.get(currency, Decimal(0))

    @property
    def label(self) -> str:
        return total_label(self)

    @property
    def year_labels(self) -> tuple[str, ...]:
        return tuple(_money_label(year) for year in self.by_year)


@dataclass(frozen=True)
class Estimate:
    estate: Estate
    platforms: tuple[PlatformCost, ...]
    currencies: tuple[str, ...]  # every currency that appears in a total, sorted

    def for_platform(self, slug: str) -> PlatformCost | None:
        return next((p for p in self.platforms if p.platform == slug), None)


def money(value: Decimal | int | float) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def round_up(value: int, step: int) -> int:
    return -(-value // step) * step


def windows_licensed_cores(estate: Estate) -> int:
    """Cores to license per host: all physical cores, 8 per processor and 16 per server at least."""
    cores = estate.sockets * max(estate.cores, WINDOWS_MIN_PER_CPU)
    return round_up(max(cores, WINDOWS_MIN_PER_SERVER), WINDOWS_PACK)


def vmware_licensed_cores(estate: Estate, min_per_cpu: int) -> int:
    """Cores to subscribe over the estate: every physical core, at least min_per_cpu per CPU."""
    return estate.hosts * estate.sockets * max(estate.cores, min_per_cpu)


def standard_stacks(vms_per_host: int, *, host_os: bool) -> int:
    """Full Standard licences of a host's cores needed for its Windows guests (2 per stack)."""
    stacks = math.ceil(vms_per_host / STANDARD_VMS_PER_STACK)
    return max(stacks, 1) if host_os else stacks


class _Prices:
    def __init__(self, prices: Iterable[Price]):
        self.by_key = {p.key: p for p in prices}

    def find(self, platform: str, role: str, tier: str = "") -> Price | None:
        matches = [p for p in self.by_key.values() if p.platform == platform and p.role == role]
        exact = [p for p in matches if p.tier == tier]
        return (exact or [p for p in matches if not p.tier] or [None])[0]

    def get(self, key: str) -> Price | None:
        return self.by_key.get(key)


def _unknown_item(label: str, price: Price) -> LineItem:
    return LineItem(label, _("price not sourced"), price, None, price.currency)


def _missing(platform: str, label: str, role: str) -> LineItem:
    """A line for a cost the price list has no point for at all: unknown, with no source."""
    price = Price(
        key="",
        platform=platform,
        product=label,
        role=role,
        amount=None,
        currency="",
        unit="none",
        status="published",
        confidence="low",
        note=_("No price point in the price list."),
    )
    return _unknown_item(label, price)


def windows_guest_items(
    estate: Estate, prices: _Prices, *, platform: str, host_os: bool
) -> list[LineItem]:
    """Windows Server licences for the guests (and, on Hyper-V, for the host itself)."""
    vms = estate.windows_vms_per_host
    if vms == 0 and not host_os:
        return []
    standard = prices.get("windows-server-2025-standard")
    datacenter = prices.get("windows-server-2025-datacenter")
    cores = windows_licensed_cores(estate)
    stacks = standard_stacks(vms, host_os=host_os)
    label_std = _("Windows Server Standard, %(stacks)s × %(cores)s cores per host") % {
        "stacks": stacks,
        "cores": cores,
    }
    label_dc = _("Windows Server Datacenter, %(cores)s cores per host") % {"cores": cores}
    owned = estate.owned
    if "windows-datacenter" in owned and datacenter is not None:
        return [
            LineItem(
                label_dc,
                _("%(hosts)s hosts, already owned") % {"hosts": estate.hosts},
                datacenter,
                Decimal(0),
                datacenter.currency,
                one_off=True,
                owned=True,
            )
        ]
    owned_stacks = 1 if "windows-standard" in owned else 0
    options: list[LineItem] = []
    if standard is not None:
        to_buy = max(stacks - owned_stacks, 0)
        amount = (
            None
            if standard.amount is None
            else money(standard.amount * cores / 16 * to_buy * estate.hosts)
        )
        quantity = _(
            "%(hosts)s hosts × %(stacks)s stacks × %(cores)s cores = %(total)s core licences"
        ) % {
            "hosts": estate.hosts,
            "stacks": to_buy,
            "cores": cores,
            "total": estate.hosts * to_buy * cores,
        }
        if owned_stacks:
            quantity += " " + _("(one stack per host already owned)")
        options.append(
            LineItem(
                label_std,
                quantity,
                standard,
                amount,
                standard.currency,
                one_off=True,
                owned=to_buy == 0,
            )
        )
    if datacenter is not None and not (owned_stacks and stacks <= owned_stacks):
        amount = (
            None
            if datacenter.amount is None
            else money(datacenter.amount * cores / 16 * estate.hosts)
        )
        quantity = _("%(hosts)s hosts × %(cores)s cores = %(total)s core licences") % {
            "hosts": estate.hosts,
            "cores": cores,
            "total": estate.hosts * cores,
        }
        options.append(
            LineItem(label_dc, quantity, datacenter, amount, datacenter.currency, one_off=True)
        )
    if not options:
        return [_missing(platform, _("Windows Server licences"), "guest-licence")]
    known = [o for o in options if o.amount is not None]
    return [min(known, key=lambda o: o.amount) if known else options[0]]


def _per_core_year(estate: Estate, price: Price, cores: int, label: str, owned: bool) -> LineItem:
    amount = None if price.amount is None else money(price.amount * cores * estate.years)
    quantity = _("%(cores)s cores × %(years)s years") % {"cores": cores, "years": estate.years}
    if owned:
        return LineItem(
            label,
            quantity + " " + _("(already owned)"),
            price,
            Decimal(0),
            price.currency,
            owned=True,
        )
    return LineItem(label, quantity, price, amount, price.currency)


def vmware_items(estate: Estate, prices: _Prices) -> list[LineItem]:
    key = f"vmware-{estate.vmware_edition}"
    price = prices.get(key)
    if price is None:
        return [_missing("vmware-esxi", key.upper(), "licence")]
    cores = vmware_licensed_cores(estate, price.min_cores_per_cpu or 1)
    items = [_per_core_year(estate, price, cores, price.product, "vmware" in estate.owned)]
    minimum = prices.find("vmware-esxi", "minimum")
    if minimum is not None and minimum.min_cores_per_order and cores < minimum.min_cores_per_order:
        extra = minimum.min_cores_per_order - cores
        would = None if price.amount is None else money(price.amount * extra * estate.years)
        items.append(
            LineItem(
                minimum.product,
                _("not applied: it would add %(extra)s cores to the %(cores)s licensed")
                % {"extra": extra, "cores": cores},
                minimum,
                would,
                price.currency,
                applied=minimum.status != "disputed",
            )
        )
    return items


def _support_item(estate: Estate, prices: _Prices, platform: str) -> LineItem | None:
    if estate.support == "none":
        return None
    price = prices.find(platform, "support", estate.support)
    if price is None:
        return _missing(platform, _("Support (%(tier)s)") % {"tier": estate.support}, "support")
    if price.amount is None:
        return _unknown_item(price.product, price)
    sockets = estate.hosts * estate.sockets
    if price.unit == "per-socket-month":
        amount = money(price.amount * sockets * 12 * estate.years)
        quantity = _("%(sockets)s sockets × 12 months × %(years)s years") % {
            "sockets": sockets,
            "years": estate.years,
        }
    elif price.unit == "per-socket-year":
        amount = money(price.amount * sockets * estate.years)
        quantity = _("%(sockets)s sockets × %(years)s years") % {
            "sockets": sockets,
            "years": estate.years,
        }
    elif price.unit == "per-host-year":
        amount = money(price.amount * estate.hosts * estate.years)
        quantity = _("%(hosts)s hosts × %(years)s years") % {
            "hosts": estate.hosts,
            "years": estate.years,
        }
    else:
        raise ValueError(f"support priced {price.unit!r} is not handled")
    return LineItem(price.product, quantity, price, amount, price.currency)


def _free_licence(estate: Estate, prices: _Prices, platform: str) -> list[LineItem]:
    price = prices.find(platform, "licence")
    if price is None:
        return [_missing(platform, _("Licence"), "licence")]
    if price.amount is None:
        return [_unknown_item(price.product, price)]
    if price.unit == "per-core-year":
        cores = estate.hosts * estate.sockets * max(estate.cores, price.min_cores_per_cpu or 1)
        return [_per_core_year(estate, price, cores, price.product, owned=False)]
    if price.unit != "none":
        raise ValueError(f"licence priced {price.unit!r} is not handled")
    return [
        LineItem(
            price.product,
            _("%(hosts)s hosts") % {"hosts": estate.hosts},
            price,
            money(price.amount),
            price.currency,
        )
    ]


def platform_items(estate: Estate, prices: _Prices, platform: str) -> list[LineItem]:
    """The line items of one platform for the estate, in the order they are shown."""
    if platform == "hyper-v":
        items = windows_guest_items(estate, prices, platform=platform, host_os=True)
    elif platform == "vmware-esxi":
        items = vmware_items(estate, prices)
        items += windows_guest_items(estate, prices, platform=platform, host_os=False)
    else:
        items = _free_licence(estate, prices, platform)
        items += windows_guest_items(estate, prices, platform=platform, host_os=False)
    support = _support_item(estate, prices, platform)
    if support is not None:
        items.append(support)
    return items


def _sum(
    items: Sequence[LineItem], years: int
) -> tuple[dict[str, Decimal], tuple[dict[str, Decimal], ...]]:
    totals: dict[str, Decimal] = {}
    by_year: list[dict[str, Decimal]] = [{} for _year in range(years)]
    for item in items:
        if not item.applied or not item.currency:
            continue
        totals.setdefault(item.currency, Decimal(0))
        if item.amount is not None:
            totals[item.currency] += item.amount
        for year, share in enumerate(item.per_year(years)):
            by_year[year][item.currency] = by_year[year].get(item.currency, Decimal(0)) + share
    return totals, tuple(by_year)


def estimate(estate: Estate, platforms: Mapping[str, str], prices: Iterable[Price]) -> Estimate:
    """The cost of `estate` on each of `platforms` (slug -> name), from `prices`."""
    index = _Prices(prices)
    results = []
    for slug, name in platforms.items():
        items = platform_items(estate, index, slug)
        totals, by_year = _sum(items, estate.years)
        results.append(
            PlatformCost(
                platform=slug,
                name=name,
                items=tuple(items),
                totals=totals,
                by_year=by_year,
                unknown_count=sum(item.unknown for item in items),
            )
        )
    # USD first (most prices are in dollars), then the others alphabetically.
    currencies = sorted({c for r in results for c in r.totals}, key=lambda c: (c != "USD", c))
    return Estimate(estate=estate, platforms=tuple(results), currencies=tuple(currencies))


def _money_label(amounts: Mapping[str, Decimal]) -> str:
    """Non-zero amounts per currency joined with +; a single zero when everything is zero."""
    pairs = sorted(amounts.items())
    shown = [(c, a) for c, a in pairs if a != 0] or pairs[:1]
    return " + ".join(f"{currency} {amount:,.2f}" for currency, amount in shown) or "0"


def total_label(cost: PlatformCost) -> str:
    """'USD 42,760.00', 'USD 0.00 + EUR 1,194.48', or 'at least USD 0.00 (1 item unknown)'."""
    text = _money_label(cost.totals)
    if cost.unknown_count:
        return _("at least %(total)s (%(count)s unknown)") % {
            "total": text,
            "count": _unknown_count(cost.unknown_count),
        }
    return text


def _unknown_count(count: int) -> str:
    from django.utils.translation import ngettext

    return ngettext("%(n)s item", "%(n)s items", count) % {"n": count}


@dataclass(frozen=True)
class CostScore:
    """A platform's cost on the 0..1 scale the recommendation uses (1 = cheapest of the field)."""

    value: float | None
    amount: Decimal | None
    left_out: tuple[str, ...] = field(default=())  # currencies not compared


def cost_scores(result: Estimate, currency: str = "USD") -> dict[str, CostScore]:
    """1 - cost / the field's highest cost, in `currency`; None where a price is unknown.

    Amounts in other currencies are not converted (no sourced exchange rate): they are named in
    `left_out` so the reasons can say so.
    """
    known = [p.total_in(currency) for p in result.platforms if p.complete]
    top = max(known, default=Decimal(0))
    scores = {}
    for cost in result.platforms:
        others = tuple(c for c, v in sorted(cost.totals.items()) if c != currency and v > 0)
        if not cost.complete:
            scores[cost.platform] = CostScore(None, None, others)
            continue
        amount = cost.total_in(currency)
        value = 1.0 if top == 0 else float(1 - amount / top)
        scores[cost.platform] = CostScore(value, amount, others)
    return scores

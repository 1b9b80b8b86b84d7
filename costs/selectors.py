"""Read shapes for the cost pages: the price list as rule inputs, and the calculator page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import QueryDict

from comparisons.models import Platform

from . import charts, rules
from .forms import DEFAULTS, ESTATE_FIELDS, CostForm, CostQuery
from .models import PriceCitation, PricePoint


@dataclass(frozen=True)
class CitationRow:
    url: str
    title: str
    publisher: str
    checked: str
    stance: str
    locator: str
    quote: str


@dataclass(frozen=True)
class PriceRow:
    """One price point for the price table, with every citation."""

    price: rules.Price
    platform_name: str
    unit_label: str
    status_label: str
    confidence_label: str
    kind_label: str
    citations: tuple[CitationRow, ...]


@dataclass(frozen=True)
class CostPage:
    query: CostQuery
    result: rules.Estimate
    figures: tuple[tuple[str, str, dict], ...]  # (currency, element id, stacked-bar figure)
    price_rows: tuple[PriceRow, ...]


def _citation(c: PriceCitation) -> CitationRow:
    return CitationRow(
        url=c.source.url,
        title=c.source.title,
        publisher=c.source.publisher,
        checked=c.source.checked.isoformat(),
        stance=c.stance,
        locator=c.locator,
        quote=c.quote,
    )


def _price(point: PricePoint, citations: tuple[CitationRow, ...]) -> rules.Price:
    supporting = [c for c in citations if c.stance == PriceCitation.Stance.SUPPORTS]
    first = supporting[0] if supporting else None
    return rules.Price(
        key=point.key,
        platform=point.platform.slug,
        product=point.product,
        role=point.role,
        amount=point.amount,
        currency=point.currency,
        unit=point.unit,
        status=point.status,
        confidence=point.confidence,
        kind=point.kind,
        tier=point.tier,
        min_cores_per_cpu=point.min_cores_per_cpu,
        min_cores_per_server=point.min_cores_per_server,
        min_cores_per_order=point.min_cores_per_order,
        includes=point.includes,
        note=point.note,
        source_url=first.url if first else "",
        source_title=first.title if first else "",
        checked=first.checked if first else "",
        unit_label=str(point.get_unit_display()),
        disputed_by=tuple(
            (c.url, c.title) for c in citations if c.stance == PriceCitation.Stance.DISPUTES
        ),
    )


def price_rows() -> list[PriceRow]:
    """Every usable price point with its citations: 2 queries, whatever the list's size."""
    points = (
        PricePoint.objects.usable()
        .select_related("platform")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=PriceCitation.objects.select_related("source").order_by("stance", "id"),
            )
        )
    )
    rows = []
    for point in points:
        citations = tuple(_citation(c) for c in point.citations.all())
        rows.append(
            PriceRow(
                price=_price(point, citations),
                platform_name=point.platform.name,
                unit_label=str(point.get_unit_display()),
                status_label=str(point.get_status_display()),
                confidence_label=str(point.get_confidence_display()),
                kind_label=str(point.get_kind_display()),
                citations=citations,
            )
        )
    return rows


def hypervisors() -> dict[str, str]:
    return dict(Platform.objects.hypervisors().order_by("position").values_list("slug", "name"))


def estimate(query: CostQuery) -> tuple[rules.Estimate, list[PriceRow]]:
    rows = price_rows()
    result = rules.estimate(query.estate, hypervisors(), [r.price for r in rows])
    return result, rows


def cost_page(*, query: CostQuery) -> CostPage:
    """Everything the calculator page shows: 3 queries."""
    result, rows = estimate(query)
    figures = tuple(
        (c, f"cost-figure-{c.lower()}", charts.stacked_costs_figure(result, c))
        for c in result.currencies
    )
    return CostPage(query=query, result=result, figures=figures, price_rows=tuple(rows))


def scenario_query(scenario, query=None) -> CostQuery | None:
    """The scenario's typical estate, with any calculator inputs the URL carries (hosts=…).

    None when the scenario declares no estate. Inputs out of range are ignored, as the
    recommendation ignores unreadable weights: the scenario's own estate stands.
    """
    from .models import ScenarioEstate

    estate = ScenarioEstate.objects.filter(scenario=scenario).first()
    if estate is None:
        return None
    own = {name: getattr(estate, name) for name in ESTATE_FIELDS}
    form = CostForm(_with_defaults(query, own))
    if form.is_valid():
        return form.query()
    fallback = CostForm(_with_defaults(None, own))
    return fallback.query() if fallback.is_valid() else None


def _with_defaults(query, own: dict) -> QueryDict:
    """The calculator's inputs: the reader's (a ScenarioQuery's estate), else the scenario's."""
    given = dict(query.estate) if query is not None else {}
    data = QueryDict(mutable=True)
    for name in (*ESTATE_FIELDS, "vmware"):
        data[name] = str(given.get(name) or own.get(name, DEFAULTS[name]))
    for owned in query.owned if query is not None else ():
        data.appendlist("owned", owned)
    return data


def scenario_estimate(
    scenario, query, platforms: dict[str, str]
) -> tuple[CostQuery, rules.Estimate] | None:
    """The scenario's estate costed on `platforms` (slug -> name): 3 queries."""
    costed = scenario_query(scenario, query)
    if costed is None:
        return None
    prices = [row.price for row in price_rows()]
    return costed, rules.estimate(costed.estate, platforms, prices)

"""Load the curated price list (fixtures/prices.yaml) in one transaction: all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from comparisons.catalog import CatalogInvalid, Problem
from comparisons.models import Platform, Source
from comparisons.signals import one_bump
from portal import yaml_files

from .forms import ESTATE_FIELDS
from .models import PriceCitation, PricePoint

FIELDS = (
    "product",
    "role",
    "tier",
    "currency",
    "unit",
    "min_cores_per_cpu",
    "min_cores_per_server",
    "min_cores_per_order",
    "includes",
    "kind",
    "status",
    "confidence",
    "note",
)


@dataclass(frozen=True)
class PriceReport:
    created: int
    updated: int
    deleted: int
    citations: int

    def summary(self) -> str:
        return (
            f"{self.created} price points created, {self.updated} updated, {self.deleted} removed, "
            f"{self.citations} citations."
        )


def _choices(model_choices) -> set[str]:
    return {value for value, _label in model_choices}


def _amount(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"amount {value!r} is not a number") from exc
    if amount < 0:
        raise ValueError("amount must not be negative")
    return amount


def _check_entry(  # noqa: C901  (one flat list of data rules, read top to bottom)
    entry: Any, where: str, platforms: set[str], sources: set[str], seen: set[str]
) -> list[Problem]:
    if not isinstance(entry, dict):
        return [Problem(where, "expected a mapping")]
    problems = []
    for key in ("key", "platform", "product", "role", "unit", "kind", "confidence"):
        if not entry.get(key):
            problems.append(Problem(where, f"missing {key!r}"))
    if entry.get("key") in seen:
        problems.append(Problem(where, f"duplicate key {entry.get('key')!r}"))
    seen.add(entry.get("key"))
    if entry.get("platform") and entry["platform"] not in platforms:
        problems.append(Problem(where, f"unknown platform {entry['platform']!r}"))
    for name, choices in (
        ("role", PricePoint.Role.choices),
        ("unit", PricePoint.Unit.choices),
        ("kind", PricePoint.Kind.choices),
        ("status", PricePoint.Status.choices),
        ("confidence", PricePoint.Confidence.choices),
    ):
        if name in entry and entry[name] not in _choices(choices):
            problems.append(Problem(where, f"{name} {entry[name]!r} is not one of the choices"))
    try:
        amount = _amount(entry.get("amount"))
    except ValueError as exc:
        problems.append(Problem(where, str(exc)))
        amount = None
    if amount is not None and not entry.get("currency"):
        problems.append(Problem(where, "a price needs its currency"))
    if amount is None and not entry.get("note"):
        problems.append(Problem(where, "an unknown price needs a note saying what was searched"))
    citations = entry.get("citations") or []
    for citation in citations:
        if citation.get("source") not in sources:
            problems.append(Problem(where, f"unknown source {citation.get('source')!r}"))
        if citation.get("stance", "supports") not in _choices(PriceCitation.Stance.choices):
            problems.append(Problem(where, f"bad stance {citation.get('stance')!r}"))
    supported = any(c.get("stance", "supports") == "supports" for c in citations)
    if amount is not None and entry.get("status", "draft") != "draft" and not supported:
        problems.append(Problem(where, "a price in use needs at least one supporting citation"))
    return problems


def read_prices(path: Path) -> list[dict]:
    """Parse and validate the price list; raises CatalogInvalid with every problem found."""
    try:
        data = yaml_files.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogInvalid([Problem(str(path), f"cannot read: {exc}")]) from exc
    if not isinstance(data, list):
        raise CatalogInvalid([Problem(str(path), "expected a list of price points")])
    platforms = set(Platform.objects.values_list("slug", flat=True))
    sources = set(Source.objects.values_list("key", flat=True))
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, entry in enumerate(data, start=1):
        problems += _check_entry(entry, f"{path.name} #{index}", platforms, sources, seen)
    if problems:
        raise CatalogInvalid(problems)
    return data


def load_prices(*, path: Path) -> PriceReport:
    """Replace the price list with the file's: upsert by key, remove keys no longer listed."""
    with one_bump(), transaction.atomic():
        return _load_prices(read_prices(path))


def _load_prices(data: list[dict]) -> PriceReport:
    platforms = {p.slug: p for p in Platform.objects.all()}
    sources = {s.key: s for s in Source.objects.all()}
    existing = {p.key: p for p in PricePoint.objects.all()}
    created = updated = citations = 0
    for position, entry in enumerate(data):
        values = {name: entry.get(name) for name in FIELDS}
        values = {k: ("" if v is None and k not in _NULLABLE else v) for k, v in values.items()}
        values.update(
            platform=platforms[entry["platform"]],
            amount=_amount(entry.get("amount")),
            status=entry.get("status", "draft"),
            position=position,
        )
        price = existing.pop(entry["key"], None)
        if price is None:
            price = PricePoint(key=entry["key"], **values)
            created += 1
        else:
            for name, value in values.items():
                setattr(price, name, value)
            updated += 1
        price.full_clean()
        price.save()
        price.citations.all().delete()
        for citation in entry.get("citations") or []:
            PriceCitation.objects.create(
                price=price,
                source=sources[citation["source"]],
                stance=citation.get("stance", "supports"),
                locator=citation.get("locator", ""),
                quote=citation.get("quote", ""),
            )
            citations += 1
    deleted = len(existing)
    PricePoint.objects.filter(key__in=list(existing)).delete()
    return PriceReport(created, updated, deleted, citations)


_NULLABLE = {"min_cores_per_cpu", "min_cores_per_server", "min_cores_per_order"}


@transaction.atomic
def load_scenario_estates(*, path: Path) -> int:
    """Each scenario's `estate:` from fixtures/scenarios.yaml (after load_catalog loaded them)."""
    from comparisons.models import Scenario

    from .models import ScenarioEstate
    from .rules import Estate

    entries = yaml_files.safe_load(path.read_text(encoding="utf-8")) or []
    scenarios = {s.slug: s for s in Scenario.objects.all()}
    problems, loaded = [], 0
    for entry in entries:
        estate = entry.get("estate")
        where = f"{path.name}: {entry.get('slug')}"
        if estate is None:
            continue
        if entry.get("slug") not in scenarios:
            problems.append(Problem(where, "scenario not loaded (run load_catalog first)"))
            continue
        unknown = set(estate) - set(ESTATE_FIELDS)
        if unknown:
            problems.append(Problem(where, f"unknown estate fields {sorted(unknown)}"))
            continue
        try:
            Estate(**estate)
        except (TypeError, ValueError) as exc:
            problems.append(Problem(where, f"bad estate: {exc}"))
            continue
        ScenarioEstate.objects.update_or_create(scenario=scenarios[entry["slug"]], defaults=estate)
        loaded += 1
    if problems:
        raise CatalogInvalid(problems)
    return loaded

"""Writes to the catalogue that touch several models."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone, translation

from portal import yaml_files

from .catalog import (
    Catalog,
    CatalogInvalid,
    Entry,
    Problem,
    as_date,
    chinese_for,
    claim_key,
    concern_fields,
    read_catalog,
    unfold_chinese,
    validate,
)
from .models import (
    Category,
    Citation,
    Claim,
    Correction,
    Edition,
    FactCheck,
    Feature,
    Platform,
    Release,
    Scenario,
    Source,
    Vendor,
)
from .signals import one_bump


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return ", ".join(
            f"{kind}: {self.created[kind]} new, {self.updated[kind]} changed, "
            f"{self.unchanged[kind]} unchanged"
            for kind in kinds
        )


class _Sync:
    """Create or update rows field by field, saving only what changed (history stays clean)."""

    def __init__(self, report: LoadReport):
        self.report = report

    def apply(self, kind: str, existing, model, fields: dict[str, Any], **lookup):
        if existing is None:
            obj = model(**lookup, **fields)
            obj.save()
            self.report.created[kind] += 1
            return obj
        changed = [
            name for name, value in fields.items() if _current(existing, name) != _raw(value)
        ]
        if changed:
            for name in changed:
                setattr(existing, name, fields[name])
            existing.save()
            self.report.updated[kind] += 1
        else:
            self.report.unchanged[kind] += 1
        return existing


def _raw(value):
    return value.pk if isinstance(value, models.Model) else value


def _current(obj, name: str):
    """The stored value; foreign keys by id so comparing costs no query."""
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def load_catalog_dir(root: Path) -> LoadReport:
    """Validate the whole catalogue under root, then load it in one transaction."""
    catalog, problems = read_catalog(root)
    problems += validate(catalog)
    if problems:
        raise CatalogInvalid(problems)
    return load_catalog(catalog)


def load_catalog(catalog: Catalog) -> LoadReport:
    # English is the source language: the untranslated attribute names mean English here.
    with translation.override("en"), transaction.atomic(), one_bump():
        return _load_catalog(catalog)


def _texts(data: dict, *names: str) -> dict[str, str]:
    """English text and its Simplified Chinese twin (`name` and `name_zh` in the YAML)."""
    texts: dict[str, str] = {}
    for name in names:
        english = data.get(name) or ""
        texts[name] = english
        texts[f"{name}_en"] = english
        texts[f"{name}_zh_hans"] = data.get(f"{name}_zh") or ""
    return texts


@dataclass
class _Rows:
    """Rows by natural key, filled kind by kind as the catalogue loads: later kinds refer to
    the rows of earlier ones."""

    vendors: dict[str, Vendor] = field(default_factory=dict)
    features: dict[str, Feature] = field(default_factory=dict)
    platforms: dict[str, Platform] = field(default_factory=dict)
    releases: dict[tuple[int, str], Release] = field(default_factory=dict)
    editions: dict[tuple[int, str], Edition] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)


def _load_catalog(catalog: Catalog) -> LoadReport:
    report = LoadReport()
    sync = _Sync(report)
    rows = _Rows()
    _load_vendors(sync, rows, catalog.vendors)
    _load_categories(sync, rows, catalog.categories)
    _load_platforms(sync, rows, catalog.platforms)
    _load_sources(sync, rows, catalog.sources)
    _load_claims(sync, rows, catalog)
    _load_fact_checks(sync, rows, catalog.factchecks)
    return report


def _load_vendors(sync: _Sync, rows: _Rows, entries: list[Entry]) -> None:
    rows.vendors = {v.slug: v for v in Vendor.objects.all()}
    for entry in entries:
        d = entry.data
        rows.vendors[d["slug"]] = sync.apply(
            "vendors",
            rows.vendors.get(d["slug"]),
            Vendor,
            {"name": d["name"], "homepage": d.get("homepage") or ""},
            slug=d["slug"],
        )


def _load_categories(sync: _Sync, rows: _Rows, entries: list[Entry]) -> None:
    categories = {c.slug: c for c in Category.objects.all()}
    rows.features = {f.slug: f for f in Feature.objects.all()}
    for c_pos, entry in enumerate(entries, start=1):
        d = entry.data
        category = sync.apply(
            "categories",
            categories.get(d["slug"]),
            Category,
            {**_texts(d, "name"), "position": c_pos},
            slug=d["slug"],
        )
        for f_pos, f in enumerate(d.get("features") or [], start=1):
            rows.features[f["slug"]] = sync.apply(
                "features",
                rows.features.get(f["slug"]),
                Feature,
                {
                    "category": category,
                    **_texts(f, "name", "description"),
                    "kind": f.get("kind", "support"),
                    "unit": f.get("unit", ""),
                    "better": f.get("better", ""),
                    "aliases": list(f.get("aliases", [])),
                    "importance": f.get("importance", 2),
                    "position": f_pos,
                },
                slug=f["slug"],
            )


def _platform_positions(entries: list[Entry]) -> dict[str, int]:
    """Each platform's place in every table, from its file's `position`; one without comes
    after all that have one."""
    given = [e.data["position"] for e in entries if e.data.get("position") is not None]
    last = max(given, default=0) + 1
    return {e.data["slug"]: e.data.get("position") or last for e in entries}


def _load_platforms(sync: _Sync, rows: _Rows, entries: list[Entry]) -> None:
    rows.platforms = {p.slug: p for p in Platform.objects.all()}
    rows.releases = {(r.platform_id, r.version): r for r in Release.objects.all()}
    rows.editions = {(e.platform_id, e.name): e for e in Edition.objects.all()}
    positions = _platform_positions(entries)
    for entry in entries:
        d = entry.data
        platform = sync.apply(
            "platforms",
            rows.platforms.get(d["slug"]),
            Platform,
            {
                **_texts(d, "name", "summary"),
                "vendor": rows.vendors[d["vendor"]],
                "kind": d["kind"],
                "homepage": d.get("homepage") or "",
                "is_baseline": bool(d.get("is_baseline", False)),
                "aliases": [str(a) for a in d.get("aliases") or []],
                "position": positions[d["slug"]],
            },
            slug=d["slug"],
        )
        rows.platforms[d["slug"]] = platform
        _load_releases(sync, rows, platform, d.get("releases") or [])
        _load_editions(sync, rows, platform, d.get("editions") or [])


def _load_releases(sync: _Sync, rows: _Rows, platform: Platform, releases: list[dict]) -> None:
    # Clear the current flag first so the one-current constraint never trips mid-load.
    wanted_current = {r["version"] for r in releases if r.get("current")}
    for (platform_id, version), release in rows.releases.items():
        if platform_id == platform.pk and release.is_current and version not in wanted_current:
            release.is_current = False
            release.save(update_fields=["is_current"])
    for r_pos, r in enumerate(releases, start=1):
        rows.releases[(platform.pk, r["version"])] = sync.apply(
            "releases",
            rows.releases.get((platform.pk, r["version"])),
            Release,
            {
                "released": as_date(r.get("released")),
                "end_of_support": as_date(r.get("end_of_support")),
                "is_current": bool(r.get("current", False)),
                "notes": r.get("notes", ""),
                "position": r_pos,
            },
            platform=platform,
            version=r["version"],
        )


def _load_editions(sync: _Sync, rows: _Rows, platform: Platform, editions: list[dict]) -> None:
    for e_pos, e in enumerate(editions, start=1):
        rows.editions[(platform.pk, e["name"])] = sync.apply(
            "editions",
            rows.editions.get((platform.pk, e["name"])),
            Edition,
            {**_texts(e, "description"), "position": e_pos},
            platform=platform,
            name=e["name"],
        )


def _load_sources(sync: _Sync, rows: _Rows, entries: list[Entry]) -> None:
    rows.sources = {s.key: s for s in Source.objects.all()}
    for entry in entries:
        d = entry.data
        rows.sources[d["key"]] = sync.apply(
            "sources",
            rows.sources.get(d["key"]),
            Source,
            {
                "url": d["url"],
                "title": d["title"],
                "publisher": d["publisher"],
                "kind": d["kind"],
                "archive_of": d.get("archive_of") or "",
                "published": as_date(d.get("published")),
                "checked": as_date(d["checked"]),
                "affiliation": d.get("affiliation") or "",
                "affiliated_with": d.get("affiliated_with") or "",
            },
            key=d["key"],
        )


def _load_claims(sync: _Sync, rows: _Rows, catalog: Catalog) -> None:
    claims = {
        (c.platform_id, c.feature_id, c.release_from_id, c.edition_id): c
        for c in Claim.objects.all()
    }
    citations: dict[int, list[Citation]] = {}
    for citation in Citation.objects.order_by("position", "pk"):
        citations.setdefault(citation.claim_id, []).append(citation)
    chinese = {claim_key(e.data): e.data for e in catalog.claims_zh}
    for entry in catalog.claims:
        d = entry.data
        platform = rows.platforms[d["platform"]]
        feature = rows.features[d["feature"]]
        release_from = rows.releases[(platform.pk, str(d["from"]))]
        edition = rows.editions[(platform.pk, d["edition"])] if d.get("edition") else None
        key = (platform.pk, feature.pk, release_from.pk, edition.pk if edition else None)
        until = d.get("until")
        claim = sync.apply(
            "claims",
            claims.get(key),
            Claim,
            {
                "release_until": rows.releases[(platform.pk, str(until))] if until else None,
                **_claim_fields(d, chinese_for(d, chinese.get(claim_key(d)))),
            },
            platform=platform,
            feature=feature,
            release_from=release_from,
            edition=edition,
        )
        wanted = d.get("citations") or []
        _sync_citations(sync, claim, wanted, citations.get(claim.pk, []), rows.sources)


def _claim_fields(d: dict, zh: dict[str, str]) -> dict[str, Any]:
    """A claim's own columns (not its keys), the Chinese only while it matches the English."""
    value = d.get("value")
    return {
        "support": d["support"],
        "value": float(value) if value is not None else None,
        "text": d.get("text", ""),
        "text_en": d.get("text", ""),
        "text_zh_hans": zh["text"],
        "note": d.get("note", ""),
        "note_en": d.get("note", ""),
        "note_zh_hans": zh["note"],
        "status": d.get("status", "draft"),
        "confidence": d.get("confidence", "medium"),
    }


def _load_fact_checks(sync: _Sync, rows: _Rows, entries: list[Entry]) -> None:
    fact_checks = {f.slug: f for f in FactCheck.objects.all()}
    for f_pos, entry in enumerate(entries, start=1):
        d = entry.data
        fact_check = sync.apply(
            "fact checks",
            fact_checks.get(d["slug"]),
            FactCheck,
            {
                **_texts(d, "statement", "explanation"),
                "verdict": d["verdict"],
                "original_zh": d.get("original_zh", ""),
                "concerns": [concern_fields(c) for c in d.get("claims") or []],
                "position": f_pos,
            },
            slug=d["slug"],
        )
        wanted = {rows.sources[key].pk for key in d.get("sources") or []}
        if set(fact_check.sources.values_list("pk", flat=True)) != wanted:
            fact_check.sources.set(wanted)


def _sync_citations(sync: _Sync, claim: Claim, wanted: list[dict], existing, sources) -> None:
    for position, c in enumerate(wanted, start=1):
        fields = {
            "source": sources[c["source"]],
            "locator": c.get("locator", ""),
            "quote": c.get("quote", ""),
            "stance": c.get("stance", "supports"),
            "position": position,
        }
        current = existing[position - 1] if position <= len(existing) else None
        sync.apply("citations", current, Citation, fields, claim=claim)
    for stale in existing[len(wanted) :]:
        stale.delete()


SCENARIO_FIELDS = (
    "version",
    "category_weights",
    "feature_weights",
    "must_have",
    "unknown_policy",
    "cost_weight",
    "performance_weight",
)


@translation.override("en")  # English is the source language, as in load_catalog
@transaction.atomic
def load_scenarios(path: Path) -> LoadReport:
    """Create or update the scenarios from their YAML file, checking every slug they name."""
    entries = unfold_chinese(yaml_files.safe_load(path.read_text(encoding="utf-8"))) or []
    categories = set(Category.objects.values_list("slug", flat=True))
    features = set(Feature.objects.values_list("slug", flat=True))
    problems: list[Problem] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path.name}: entry {index} ({entry.get('slug')})"
        problems += [
            Problem(where, f"unknown category {c!r}")
            for c in entry.get("category_weights", {})
            if c not in categories
        ]
        named = [*entry.get("feature_weights", {}), *entry.get("must_have", [])]
        problems += [Problem(where, f"unknown feature {f!r}") for f in named if f not in features]
    if problems:
        raise CatalogInvalid(problems)
    report = LoadReport()
    sync = _Sync(report)
    existing = {s.slug: s for s in Scenario.objects.all()}
    for position, entry in enumerate(entries, start=1):
        fields = _texts(entry, "name", "description", "rationale")
        fields |= {name: entry.get(name) for name in SCENARIO_FIELDS if name in entry}
        fields.setdefault("feature_weights", {})
        fields.setdefault("must_have", [])
        fields["position"] = position
        sync.apply("scenarios", existing.get(entry["slug"]), Scenario, fields, slug=entry["slug"])
    return report


def submit_correction(*, claim: Claim, form) -> Correction:
    """Store a reader's correction of a claim (validated by the form; status new)."""
    correction = form.save(commit=False)
    correction.claim = claim
    correction.full_clean()
    correction.save()
    return correction


def apply_correction(*, correction: Correction, user) -> Claim:
    """Accept a reader's correction and apply its proposed support and value to the claim.
    The claim's history records the curator and, as the reason, the correction number (the
    reader's credit). Sources are not touched: the curator adds the reader's source as a
    citation, since a citation needs a quote that only a person who read the page can give."""
    if not correction.proposed_support and correction.proposed_value is None:
        raise ValueError("This correction proposes no support level or value to apply.")
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update().select_related("feature").get(pk=correction.claim_id)
        )
        if correction.proposed_support:
            claim.support = correction.proposed_support
        if correction.proposed_value is not None:
            claim.value = correction.proposed_value
        claim.reviewed_by = user
        claim.reviewed_at = timezone.now()
        claim._change_reason = f"Reader correction #{correction.pk}"
        claim.full_clean()
        claim.save()
        correction.decide(Correction.Status.ACCEPTED, user=user)
    return claim

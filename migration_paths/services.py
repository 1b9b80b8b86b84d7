"""Load the curated migration paths (validated first, then one transaction)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import translation

from comparisons.catalog import CatalogInvalid
from comparisons.models import Platform, Source
from comparisons.services import LoadReport, _Sync, _texts
from comparisons.signals import one_bump

from .catalog import MigrationCatalog, read_migrations, statement_defaults, validate
from .models import MigrationMethod, MigrationPath, MigrationStatement, StatementCitation


def load_migrations_dir(root: Path) -> LoadReport:
    """Validate every file under root against the loaded platforms and sources, then load."""
    catalog, problems = read_migrations(root)
    problems += validate(
        catalog,
        platforms=set(Platform.objects.values_list("slug", flat=True)),
        sources=set(Source.objects.values_list("key", flat=True)),
    )
    if problems:
        raise CatalogInvalid(problems)
    return load_migrations(catalog)


def load_migrations(catalog: MigrationCatalog) -> LoadReport:
    # English is the source language: the untranslated attribute names mean English here.
    with translation.override("en"), transaction.atomic(), one_bump():
        return _load(catalog)


def _load(catalog: MigrationCatalog) -> LoadReport:
    report = LoadReport()
    sync = _Sync(report)
    platforms = {p.slug: p for p in Platform.objects.all()}
    sources = {s.key: s for s in Source.objects.all()}
    paths = {(p.source_id, p.target_id): p for p in MigrationPath.objects.all()}
    methods = {(m.path_id, m.slug): m for m in MigrationMethod.objects.all()}
    statements: dict[int, list[MigrationStatement]] = {}
    for statement in MigrationStatement.objects.order_by("position", "pk"):
        statements.setdefault(statement.method_id, []).append(statement)
    citations: dict[int, list[StatementCitation]] = {}
    for citation in StatementCitation.objects.order_by("position", "pk"):
        citations.setdefault(citation.statement_id, []).append(citation)

    for entry in catalog.paths:
        d = entry.data
        source, target = platforms[d["from"]], platforms[d["to"]]
        path = sync.apply(
            "migration paths",
            paths.get((source.pk, target.pk)),
            MigrationPath,
            _texts(d, "summary"),
            source=source,
            target=target,
        )
        wanted = []
        for position, m in enumerate(d.get("methods") or [], start=1):
            method = sync.apply(
                "methods",
                methods.get((path.pk, m["slug"])),
                MigrationMethod,
                {
                    "tool": m["tool"],
                    "kind": m["kind"],
                    "mode": m.get("mode", "unknown"),
                    "source_versions": m.get("source_versions", ""),
                    "target_versions": m.get("target_versions", ""),
                    "status": m.get("status", "draft"),
                    "confidence": m.get("confidence", "medium"),
                    "position": position,
                },
                path=path,
                slug=m["slug"],
            )
            wanted.append(m["slug"])
            _sync_statements(sync, method, m, statements.get(method.pk, []), citations, sources)
        for (path_id, slug), stale in methods.items():
            if path_id == path.pk and slug not in wanted:
                stale.delete()
    return report


def _sync_statements(sync, method, m: dict, existing, citations, sources) -> None:
    wanted = m.get("statements") or []
    for position, s in enumerate(wanted, start=1):
        status, confidence = statement_defaults(m, s)
        current = existing[position - 1] if position <= len(existing) else None
        statement = sync.apply(
            "statements",
            current,
            MigrationStatement,
            {
                "topic": s["topic"],
                **_texts(s, "text"),
                "status": status,
                "confidence": confidence,
                "position": position,
            },
            method=method,
        )
        _sync_citations(sync, statement, s.get("citations") or [], citations, sources)
    for stale in existing[len(wanted) :]:
        stale.delete()


def _sync_citations(sync, statement, wanted: list[dict], citations, sources) -> None:
    existing = citations.get(statement.pk, [])
    for position, c in enumerate(wanted, start=1):
        current = existing[position - 1] if position <= len(existing) else None
        sync.apply(
            "statement citations",
            current,
            StatementCitation,
            {
                "source": sources[c["source"]],
                "locator": c.get("locator", ""),
                "quote": c.get("quote", ""),
                "stance": c.get("stance", "supports"),
                "position": position,
            },
            statement=statement,
        )
    for stale in existing[len(wanted) :]:
        stale.delete()

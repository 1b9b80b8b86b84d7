"""Write the stored migration paths back as YAML, in the loader's format (round trip)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml
from django.utils import translation

from .models import MigrationMethod, MigrationPath, MigrationStatement, StatementCitation

HEADER = "# Exported by manage.py export_migrations; the format is in migration_paths/catalog.py.\n"


def _optional(data: dict, **values) -> dict:
    data.update({k: v for k, v in values.items() if v not in ("", None)})
    return data


def migration_files() -> dict[str, list[dict]]:
    """{source slug: [path entries]}, from four queries (English as the source language)."""
    with translation.override("en"):
        return _migration_files()


def _migration_files() -> dict[str, list[dict]]:
    citations: dict[int, list[dict]] = defaultdict(list)
    for c in StatementCitation.objects.select_related("source").order_by("position", "pk"):
        entry = {"source": c.source.key}
        _optional(entry, locator=c.locator, quote=c.quote)
        if c.stance != "supports":
            entry["stance"] = c.stance
        citations[c.statement_id].append(entry)
    statements: dict[int, list[dict]] = defaultdict(list)
    for s in MigrationStatement.objects.order_by("position", "pk"):
        entry = _optional({"topic": s.topic, "text": s.text}, text_zh=s.text_zh_hans)
        entry.update(status=s.status, confidence=s.confidence)
        if citations[s.pk]:
            entry["citations"] = citations[s.pk]
        statements[s.method_id].append(entry)
    methods: dict[int, list[dict]] = defaultdict(list)
    for m in MigrationMethod.objects.order_by("position", "pk"):
        entry = {"slug": m.slug, "tool": m.tool, "kind": m.kind, "mode": m.mode}
        _optional(entry, source_versions=m.source_versions, target_versions=m.target_versions)
        entry.update(status=m.status, confidence=m.confidence)
        entry["statements"] = statements[m.pk]
        methods[m.path_id].append(entry)
    files: dict[str, list[dict]] = defaultdict(list)
    paths = MigrationPath.objects.select_related("source", "target")
    for p in paths.order_by("source__position", "target__position"):
        entry = _optional({"to": p.target.slug}, summary=p.summary, summary_zh=p.summary_zh_hans)
        if methods[p.pk]:
            entry["methods"] = methods[p.pk]
        files[p.source.slug].append(entry)
    return dict(files)


def export_migrations(root: Path) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for slug, entries in migration_files().items():
        path = root / f"{slug}.yaml"
        text = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(HEADER + text, encoding="utf-8")
        written.append(path)
    return written

"""Read and validate the migration-path YAML (fixtures/migrations/<source-slug>.yaml).
Pure: files in, entries and problems out; the loader runs only on a clean result.

A file lists the paths out of one platform (the file name is its slug, as for claims):

    - to: proxmox-ve
      summary: "..."            # summary_zh beside it
      methods:
        - slug: pve-import-wizard
          tool: Proxmox VE import wizard
          kind: vendor-tool      # vendor-tool | open-source | backup-restore | manual
          mode: warm             # live | warm | cold | unknown
          status: published      # statements default to their method's status and confidence
          statements:
            - topic: converts    # mode | converts | manual | limit | licence | downtime
              text: "..."
              citations: [{source: <key of a catalogue source>, locator: "...", quote: "..."}]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from comparisons.catalog import (
    CONFIDENCES,
    STANCES,
    STATUSES,
    Entry,
    Problem,
    _entries,
    _load_yaml,
)

KINDS = ("vendor-tool", "open-source", "backup-restore", "manual")
MODES = ("live", "warm", "cold", "unknown")
TOPICS = ("mode", "converts", "manual", "limit", "licence", "downtime")
PUBLISHED = ("published", "disputed")
MAX_TEXT = 500
MAX_TOOL = 160
MAX_VERSIONS = 120
MAX_LOCATOR = 300


@dataclass
class MigrationCatalog:
    paths: list[Entry] = field(default_factory=list)


def read_migrations(root: Path) -> tuple[MigrationCatalog, list[Problem]]:
    """Every <source-slug>.yaml under root; the file name names the source platform."""
    problems: list[Problem] = []
    catalog = MigrationCatalog()
    if not root.is_dir():
        return catalog, [Problem(str(root), "migration folder not found")]
    for path in sorted(root.glob("*.yaml")):
        rel = str(path.relative_to(root))
        for entry in _entries(_load_yaml(path, root, problems), rel, problems):
            catalog.paths.append(Entry(rel, entry.index, {**entry.data, "from": path.stem}))
    return catalog, problems


def statement_defaults(method: dict, statement: dict) -> tuple[str, str]:
    """A statement's status and confidence: its own, else its method's."""
    status = statement.get("status", method.get("status", "draft"))
    confidence = statement.get("confidence", method.get("confidence", "medium"))
    return status, confidence


def _supporting(citations: Iterable[dict]) -> int:
    return sum(c.get("stance", "supports") == "supports" for c in citations)


class _Checker:
    def __init__(self, platforms: set[str], sources: set[str]):
        self.platforms = platforms
        self.sources = sources
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def choice(self, data: dict, key: str, allowed, where: str, default=None) -> None:
        value = data.get(key, default)
        if value not in allowed:
            self.add(where, f"'{key}' is {value!r}; expected one of {', '.join(allowed)}")

    def text(self, data: dict, key: str, limit: int, where: str, required: bool = False) -> None:
        value = data.get(key)
        if value in (None, ""):
            if required:
                self.add(where, f"'{key}' is required")
            return
        if not isinstance(value, str):
            self.add(where, f"'{key}' must be text")
        elif len(value) > limit:
            self.add(where, f"'{key}' is {len(value)} characters; at most {limit}")

    def path(self, entry: Entry, seen: dict) -> None:
        data = entry.data
        source, target = data["from"], data.get("to")
        where = entry.where(f"{source} → {target}")
        if source not in self.platforms:
            self.add(where, f"unknown platform {source!r} (the file name names the source)")
        if target not in self.platforms:
            self.add(where, f"unknown target platform {target!r}")
        elif target == source:
            self.add(where, "a path needs two different platforms")
        if (source, target) in seen:
            self.add(where, f"duplicate path (first at {seen[(source, target)]})")
        seen[(source, target)] = where
        methods = data.get("methods") or []
        if not isinstance(methods, list):
            self.add(where, "'methods' must be a list")
            return
        if not methods and not data.get("summary"):
            self.add(where, "a path without methods needs a 'summary' saying so")
        slugs: set[str] = set()
        for position, method in enumerate(methods, start=1):
            m_where = f"{where} method {position} ({method.get('slug')})"
            if not isinstance(method, dict):
                self.add(m_where, "expected a mapping")
                continue
            if method.get("slug") in slugs:
                self.add(m_where, f"duplicate method {method.get('slug')!r}")
            slugs.add(method.get("slug"))
            self.method(method, m_where)

    def method(self, method: dict, where: str) -> None:
        self.text(method, "slug", 80, where, required=True)
        self.text(method, "tool", MAX_TOOL, where, required=True)
        self.text(method, "source_versions", MAX_VERSIONS, where)
        self.text(method, "target_versions", MAX_VERSIONS, where)
        self.choice(method, "kind", KINDS, where)
        self.choice(method, "mode", MODES, where, default="unknown")
        self.choice(method, "status", STATUSES, where, default="draft")
        self.choice(method, "confidence", CONFIDENCES, where, default="medium")
        published_topics: set[str] = set()
        for position, statement in enumerate(method.get("statements") or [], start=1):
            s_where = f"{where} statement {position}"
            if not isinstance(statement, dict):
                self.add(s_where, "expected a mapping")
                continue
            if self.statement(method, statement, s_where):
                published_topics.add(statement.get("topic"))
        if method.get("status", "draft") in PUBLISHED:
            if not published_topics:
                self.add(where, "a published method needs at least one published statement")
            if method.get("mode", "unknown") != "unknown" and "mode" not in published_topics:
                self.add(where, "a published method's mode needs a published 'mode' statement")

    def statement(self, method: dict, statement: dict, where: str) -> bool:
        """Check one statement; True when it is published (and so may back its method)."""
        self.choice(statement, "topic", TOPICS, where)
        self.text(statement, "text", MAX_TEXT, where, required=True)
        self.text(statement, "text_zh", MAX_TEXT, where)
        status, confidence = statement_defaults(method, statement)
        if status not in STATUSES:
            self.add(where, f"'status' is {status!r}; expected one of {', '.join(STATUSES)}")
        if confidence not in CONFIDENCES:
            self.add(where, f"'confidence' is {confidence!r}")
        citations = statement.get("citations") or []
        for position, citation in enumerate(citations, start=1):
            c_where = f"{where} citation {position}"
            if not isinstance(citation, dict):
                self.add(c_where, "expected a mapping")
                continue
            if citation.get("source") not in self.sources:
                self.add(c_where, f"unknown source {citation.get('source')!r}")
            if citation.get("stance", "supports") not in STANCES:
                self.add(c_where, f"'stance' is {citation.get('stance')!r}")
            self.text(citation, "locator", MAX_LOCATOR, c_where)
        published = status in PUBLISHED
        if published and not _supporting(c for c in citations if isinstance(c, dict)):
            self.add(where, "a published statement needs at least one supporting citation")
        return published


def validate(catalog: MigrationCatalog, *, platforms: set[str], sources: set[str]) -> list[Problem]:
    """Every rule the migration YAML keeps, reported with file and entry."""
    check = _Checker(platforms, sources)
    seen: dict[Any, str] = {}
    for entry in catalog.paths:
        check.path(entry, seen)
    return check.problems

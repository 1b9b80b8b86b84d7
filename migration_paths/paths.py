"""The migration grid and a pair's methods, built from flat rows. Pure: no ORM, no HTTP.

The grid is every ordered pair of the platforms given (rows = where VMs come from, columns =
where they go). A pair's best mode is the best mode among its published methods (live, then
warm, then cold; `unknown` only when no method says); its source count is the number of
distinct sources cited by its published statements. The pair page lists the methods side by
side and a pre-flight checklist: every published "left to do by hand" and "limit" statement,
each linked to the source it cites first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

MODES = ("live", "warm", "cold", "unknown")
MODE_RANK = {mode: rank for rank, mode in enumerate(MODES)}
TOPICS = ("mode", "converts", "manual", "limit", "licence", "downtime")
CHECKLIST_TOPICS = ("manual", "limit")
PUBLISHED = ("published", "disputed")


@dataclass(frozen=True)
class PlatformRef:
    slug: str
    name: str


@dataclass(frozen=True)
class MethodRow:
    id: int
    source: str
    target: str
    slug: str
    tool: str
    kind: str
    mode: str
    status: str
    confidence: str = "medium"
    source_versions: str = ""
    target_versions: str = ""


@dataclass(frozen=True)
class StatementRow:
    id: int
    method_id: int
    topic: str
    text: str
    status: str
    confidence: str


@dataclass(frozen=True)
class CitationRow:
    statement_id: int
    source_id: int
    url: str = ""
    title: str = ""
    publisher: str = ""
    checked: str = ""
    locator: str = ""
    quote: str = ""
    stance: str = "supports"


@dataclass(frozen=True)
class Cell:
    source: PlatformRef
    target: PlatformRef
    has_entry: bool
    best_mode: str | None  # None: no published method
    methods: int
    sources: int
    kinds: tuple[str, ...] = ()
    matches: bool = True  # False when a mode filter is set and the best mode falls short

    @property
    def documented(self) -> bool:
        return self.methods > 0


@dataclass(frozen=True)
class GridRow:
    source: PlatformRef
    cells: tuple[Cell | None, ...]  # None on the diagonal


@dataclass(frozen=True)
class Grid:
    columns: tuple[PlatformRef, ...]
    rows: tuple[GridRow, ...]

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells if cell is not None]

    @property
    def documented(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.documented]

    @property
    def undocumented(self) -> list[Cell]:
        return [cell for cell in self.cells if not cell.documented]


def best_mode(modes: Iterable[str]) -> str | None:
    ranked = sorted(modes, key=lambda m: MODE_RANK.get(m, len(MODES)))
    return ranked[0] if ranked else None


def mode_at_least(mode: str | None, wanted: str) -> bool:
    """True when `mode` is as good as `wanted` or better (live > warm > cold)."""
    return mode is not None and MODE_RANK[mode] <= MODE_RANK[wanted]


def build_grid(
    platforms: Iterable[PlatformRef],
    entries: Iterable[tuple[str, str]],
    methods: Iterable[MethodRow],
    cited: Iterable[tuple[str, str, int]],
    *,
    kinds: frozenset[str] = frozenset(),
    min_mode: str | None = None,
) -> Grid:
    """`entries`: (source, target) of the stored paths; `methods`: published methods;
    `cited`: (source, target, source id) for published statements' citations.
    `kinds` keeps only those method kinds when given; `min_mode` marks the pairs whose best
    mode is not at least that good."""
    platforms = tuple(platforms)
    has_entry = set(entries)
    per_pair: dict[tuple[str, str], list[MethodRow]] = defaultdict(list)
    for method in methods:
        if method.status in PUBLISHED and (not kinds or method.kind in kinds):
            per_pair[(method.source, method.target)].append(method)
    sources: dict[tuple[str, str], set[int]] = defaultdict(set)
    for source, target, source_id in cited:
        sources[(source, target)].add(source_id)
    rows = []
    for src in platforms:
        cells: list[Cell | None] = []
        for dst in platforms:
            if src.slug == dst.slug:
                cells.append(None)
                continue
            found = per_pair.get((src.slug, dst.slug), [])
            mode = best_mode(m.mode for m in found)
            cells.append(
                Cell(
                    source=src,
                    target=dst,
                    has_entry=(src.slug, dst.slug) in has_entry,
                    best_mode=mode,
                    methods=len(found),
                    sources=len(sources[(src.slug, dst.slug)]) if found else 0,
                    kinds=tuple(sorted({m.kind for m in found})),
                    matches=min_mode is None or mode_at_least(mode, min_mode),
                )
            )
        rows.append(GridRow(source=src, cells=tuple(cells)))
    return Grid(columns=platforms, rows=tuple(rows))


@dataclass(frozen=True)
class Evidence:
    url: str
    title: str
    publisher: str
    checked: str
    locator: str
    quote: str
    stance: str


@dataclass(frozen=True)
class Statement:
    id: int
    topic: str
    text: str
    status: str
    confidence: str
    citations: tuple[Evidence, ...]

    @property
    def first_source(self) -> Evidence | None:
        supporting = [c for c in self.citations if c.stance == "supports"]
        return supporting[0] if supporting else None


@dataclass(frozen=True)
class Method:
    row: MethodRow
    statements: tuple[Statement, ...]

    def topic(self, topic: str) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.topic == topic)

    @property
    def by_topic(self) -> list[tuple[str, tuple[Statement, ...]]]:
        return [(t, self.topic(t)) for t in TOPICS if self.topic(t)]


@dataclass(frozen=True)
class ChecklistItem:
    method: str
    statement: Statement


@dataclass(frozen=True)
class Pair:
    source: PlatformRef
    target: PlatformRef
    methods: tuple[Method, ...]
    best_mode: str | None
    source_count: int
    checklist: tuple[ChecklistItem, ...] = field(default=())

    @property
    def documented(self) -> bool:
        return bool(self.methods)


def build_pair(
    source: PlatformRef,
    target: PlatformRef,
    methods: Iterable[MethodRow],
    statements: Iterable[StatementRow],
    citations: Iterable[CitationRow],
) -> Pair:
    """A pair's published methods (best mode first, then curated order) with their published
    statements and citations, and the checklist drawn from them."""
    by_statement: dict[int, list[Evidence]] = defaultdict(list)
    cited_ids: dict[int, set[int]] = defaultdict(set)
    for c in citations:
        by_statement[c.statement_id].append(
            Evidence(c.url, c.title, c.publisher, c.checked, c.locator, c.quote, c.stance)
        )
        cited_ids[c.statement_id].add(c.source_id)
    per_method: dict[int, list[Statement]] = defaultdict(list)
    used_sources: set[int] = set()
    for s in statements:
        if s.status not in PUBLISHED:
            continue
        per_method[s.method_id].append(
            Statement(s.id, s.topic, s.text, s.status, s.confidence, tuple(by_statement[s.id]))
        )
        used_sources |= cited_ids[s.id]
    published = [m for m in methods if m.status in PUBLISHED]
    order = {m.id: i for i, m in enumerate(published)}
    published.sort(key=lambda m: (MODE_RANK.get(m.mode, len(MODES)), order[m.id]))
    built = tuple(Method(m, tuple(per_method[m.id])) for m in published)
    checklist = tuple(
        ChecklistItem(m.row.tool, s)
        for m in built
        for s in m.statements
        if s.topic in CHECKLIST_TOPICS
    )
    return Pair(
        source=source,
        target=target,
        methods=built,
        best_mode=best_mode(m.mode for m in published),
        source_count=len(used_sources) if built else 0,
        checklist=checklist,
    )


def grid_to_json(grid: Grid) -> list[dict]:
    return [
        {
            "from": cell.source.slug,
            "to": cell.target.slug,
            "has_entry": cell.has_entry,
            "best_mode": cell.best_mode,
            "methods": cell.methods,
            "sources": cell.sources,
            "kinds": list(cell.kinds),
        }
        for cell in grid.cells
    ]


def pair_to_json(pair: Pair, summary: str) -> dict:
    return {
        "from": pair.source.slug,
        "to": pair.target.slug,
        "summary": summary,
        "best_mode": pair.best_mode,
        "sources": pair.source_count,
        "methods": [
            {
                "slug": m.row.slug,
                "tool": m.row.tool,
                "kind": m.row.kind,
                "mode": m.row.mode,
                "source_versions": m.row.source_versions,
                "target_versions": m.row.target_versions,
                "confidence": m.row.confidence,
                "statements": [
                    {
                        "topic": s.topic,
                        "text": s.text,
                        "status": s.status,
                        "confidence": s.confidence,
                        "citations": [
                            {
                                "url": c.url,
                                "title": c.title,
                                "publisher": c.publisher,
                                "checked": c.checked,
                                "locator": c.locator,
                                "quote": c.quote,
                                "stance": c.stance,
                            }
                            for c in s.citations
                        ],
                    }
                    for s in m.statements
                ],
            }
            for m in pair.methods
        ],
    }

"""The feature matrix: plain data in, grid, differences and summary out. No ORM, no HTTP."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import glossary, search_words

# Only these three are degrees of one scale; "not applicable" (the feature does not fit the
# platform's design) and "no documented limit" (number features) are known answers off it.
SUPPORT_SCORE = {"full": 1.0, "partial": 0.5, "none": 0.0}
SUPPORT_ICON = {
    "full": "✔",
    "partial": "◐",
    "none": "✘",
    "not-applicable": "–",
    "no-limit": "∞",
    "unknown": "?",
}
# Labels are translated where they are shown (gettext_lazy keeps this module data-only).
SUPPORT_TEXT = {
    "full": _("Yes"),
    "partial": _("Partly"),
    "none": _("No"),
    "not-applicable": _("Not applicable"),
    "no-limit": _("No documented limit"),
    "unknown": _("Unknown"),
}
# A gap in what we know, never a difference or a change.
GAP = "unknown"
IMPORTANCE_DEFAULT = 2
MIN_PLATFORMS, MAX_PLATFORMS = 2, 8
STALE_AFTER_DAYS = 365  # a source not re-checked for a year is flagged


@dataclass(frozen=True)
class ReleaseInfo:
    id: int
    version: str
    position: int


@dataclass(frozen=True)
class Column:
    slug: str
    name: str
    release: ReleaseInfo
    releases: tuple[ReleaseInfo, ...]

    @property
    def param(self) -> str:
        return f"{self.slug}@{self.release.version}"


@dataclass(frozen=True)
class FeatureInfo:
    slug: str
    name: str
    description: str
    aliases: tuple[str, ...]
    kind: str
    unit: str
    better: str
    category_slug: str
    category_name: str
    english: str = ""  # English name and description, so English terms match in any language
    importance: int = IMPORTANCE_DEFAULT  # 1..3, how much a difference here matters


@dataclass(frozen=True)
class CitationInfo:
    url: str
    title: str
    publisher: str
    checked: datetime.date
    stance: str
    kind: str = ""


@dataclass(frozen=True)
class ClaimInfo:
    id: int
    platform: str
    feature: str
    from_position: int
    until_position: int | None
    edition: str
    edition_position: int
    support: str
    value: float | None
    text: str
    status: str
    confidence: str
    citations: tuple[CitationInfo, ...]

    def applies_to(self, position: int) -> bool:
        if position < self.from_position:
            return False
        return self.until_position is None or position <= self.until_position


@dataclass(frozen=True)
class Cell:
    claim_id: int | None
    support: str
    value: float | None = None
    unit: str = ""
    text: str = ""
    edition: str = ""
    disputed: bool = False
    stale: bool = False
    source_count: int = 0
    sources: tuple[CitationInfo, ...] = ()
    confidence: str = ""

    @property
    def icon(self) -> str:
        return SUPPORT_ICON[self.support]

    @property
    def label(self) -> str:
        return SUPPORT_TEXT[self.support]

    @property
    def display_value(self) -> str:
        if self.value is not None:
            number = f"{self.value:g}" if abs(self.value) < 1e6 else f"{self.value:,.0f}"
            return f"{number} {self.unit}".strip()
        return self.text

    def key(self) -> tuple:
        return (self.support, self.value, self.text)

    @property
    def known(self) -> bool:
        return self.support != GAP


@dataclass(frozen=True, eq=False)  # compared by identity: kept rows key their rendered HTML
class Row:
    feature: FeatureInfo
    cells: tuple[Cell, ...]
    differs: bool
    spread: float  # 0 = all agree, 1 = as different as they can be


@dataclass(frozen=True)
class CategoryCount:
    """Support features by level; number features apart (a stated limit is not "full
    support"), and features that do not apply to the platform's design."""

    full: int = 0
    partial: int = 0
    none: int = 0
    unknown: int = 0
    limits: int = 0  # number features with a documented value or "no documented limit"
    not_applicable: int = 0


@dataclass(frozen=True)
class CategoryBlock:
    slug: str
    name: str
    rows: tuple[Row, ...]
    counts: tuple[CategoryCount, ...]  # one per column, over all the category's features


@dataclass(frozen=True)
class Filters:
    categories: tuple[str, ...] = ()
    query: str = ""
    differences_only: bool = False
    hide_unknown: bool = False


@dataclass(frozen=True)
class Matrix:
    columns: tuple[Column, ...]
    blocks: tuple[CategoryBlock, ...]
    filters: Filters
    top_differences: tuple[Row, ...]
    total_features: int
    shown_features: int
    all_categories: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def range_label(first: str, last: str | None) -> str:
    """Releases a claim applies to: "8.0+", "8.0", or "7.0–8.0"."""
    if last is None:
        return f"{first}+"
    return first if last == first else f"{first}–{last}"


def by_cell(claims: Iterable[ClaimInfo]) -> dict[tuple[str, str], list[ClaimInfo]]:
    """Claims grouped by (feature, platform): one matrix cell's candidates for any release."""
    cells: dict[tuple[str, str], list[ClaimInfo]] = {}
    for claim in claims:
        cells.setdefault((claim.feature, claim.platform), []).append(claim)
    return cells


SUPPORT_RANK = {
    "full": 0,
    "no-limit": 0,
    "partial": 1,
    "none": 2,
    "not-applicable": 2,
    "unknown": 3,
}


def choose_claim(claims: Iterable[ClaimInfo], position: int) -> ClaimInfo | None:
    """The claim for one release. An edition-free claim speaks for the platform; otherwise the
    best-supported edition does (the cell names that edition), newest range first."""
    applicable = [c for c in claims if c.applies_to(position)]
    if not applicable:
        return None
    return min(
        applicable,
        key=lambda c: (
            bool(c.edition),
            SUPPORT_RANK[c.support] if c.edition else 0,
            -c.from_position,
            c.edition_position,
        ),
    )


def make_cell(claim: ClaimInfo | None, feature: FeatureInfo, today: datetime.date) -> Cell:
    if claim is None:
        return Cell(claim_id=None, support="unknown")
    supporting = [c for c in claim.citations if c.stance == "supports"]
    newest = max((c.checked for c in claim.citations), default=None)
    return Cell(
        claim_id=claim.id,
        support=claim.support,
        value=claim.value,
        unit=feature.unit if claim.value is not None else "",
        text=claim.text,
        edition=claim.edition,
        disputed=claim.status == "disputed",
        stale=newest is not None and (today - newest).days > STALE_AFTER_DAYS,
        source_count=len(supporting),
        sources=claim.citations,
        confidence=claim.confidence,
    )


def differs(cells: Sequence[Cell]) -> bool:
    """Whether the known cells disagree; an unknown cell is a gap, not a difference."""
    return len({c.key() for c in cells if c.known}) > 1


def spread(feature: FeatureInfo, cells: Sequence[Cell]) -> float:
    """How far apart the known cells are, 0..1, so rows can be ranked by difference."""
    known = [c for c in cells if c.known]
    if len(known) < 2:
        return 0.0
    if feature.kind == "number":
        values = [c.value for c in known if c.value is not None]
        if len(values) >= 2 and max(values) > 0 and max(values) != min(values):
            return (max(values) - min(values)) / max(values)
    scores = [SUPPORT_SCORE[c.support] for c in known if c.support in SUPPORT_SCORE]
    support_spread = max(scores) - min(scores) if len(scores) >= 2 else 0.0
    if support_spread == 0 and differs(known):
        return 0.25  # same level (or off the scale), different value, text or kind of answer
    return support_spread


def weight(row: Row) -> float:
    """How much a row's difference matters: its spread scaled by the feature's importance."""
    return row.spread * row.feature.importance / 3


def matches(feature: FeatureInfo, query: str) -> bool:
    """The query in the feature's names, description or aliases, in either language, in the
    readers' own words: spaces and full-/half-width forms are ignored, and a glossary
    variant (热迁移, 群集) also finds the preferred term (实时迁移, 集群), and an English
    search word the other spelling or the catalogue's word ("license", "price")."""
    needles = search_words.needles(query)
    haystack = [feature.name, feature.description, feature.slug, feature.english, *feature.aliases]
    texts = [glossary.normalize(text) for text in haystack]
    return any(needle in text for needle in needles for text in texts)


def count(cells: Iterable[tuple[str, Cell]]) -> CategoryCount:
    """Tally (feature kind, cell) pairs of one column."""
    tally = {"full": 0, "partial": 0, "none": 0, "unknown": 0, "limits": 0, "not_applicable": 0}
    for kind, cell in cells:
        if cell.support == "not-applicable":
            tally["not_applicable"] += 1
        elif cell.support == GAP:
            tally["unknown"] += 1
        elif kind == "number" and (cell.value is not None or cell.support == "no-limit"):
            tally["limits"] += 1
        elif cell.support in ("full", "partial", "none"):
            tally[cell.support] += 1
        else:  # "no-limit" cannot stand on a non-number feature (the loader refuses it)
            tally["unknown"] += 1
    return CategoryCount(**tally)


def rows(
    columns: Sequence[Column],
    features: Sequence[FeatureInfo],
    claims: Iterable[ClaimInfo],
    *,
    today: datetime.date,
) -> tuple[Row, ...]:
    """Every feature's row for these columns. Filters only choose among them, so the rows
    of one set of columns serve every filter (the compare page keeps them per snapshot)."""
    by_key = by_cell(claims)
    found = []
    for feature in features:
        cells = tuple(
            make_cell(
                choose_claim(by_key.get((feature.slug, col.slug), ()), col.release.position),
                feature,
                today,
            )
            for col in columns
        )
        found.append(
            Row(feature=feature, cells=cells, differs=differs(cells), spread=spread(feature, cells))
        )
    return tuple(found)


def build(
    columns: Sequence[Column],
    features: Sequence[FeatureInfo],
    claims: Iterable[ClaimInfo],
    filters: Filters,
    *,
    today: datetime.date,
    top: int = 10,
) -> Matrix:
    return assemble(columns, rows(columns, features, claims, today=today), filters, top=top)


def category_counts(
    columns: Sequence[Column], all_rows: Sequence[Row]
) -> dict[str, tuple[CategoryCount, ...]]:
    """Per category, each column's tally over all of the category's features: what the
    filters show does not change it, so it can be kept with the rows."""
    per_category: dict[str, list[list[tuple[str, Cell]]]] = {}
    for row in all_rows:
        per_column = per_category.setdefault(row.feature.category_slug, [[] for _ in columns])
        for index, cell in enumerate(row.cells):
            per_column[index].append((row.feature.kind, cell))
    return {
        slug: tuple(count(cells) for cells in per_column)
        for slug, per_column in per_category.items()
    }


def assemble(
    columns: Sequence[Column],
    all_rows: Sequence[Row],
    filters: Filters,
    *,
    top: int = 10,
    counts: Mapping[str, tuple[CategoryCount, ...]] | None = None,
) -> Matrix:
    """The matrix the filters show, from every feature's row (see `rows`) and, when kept
    with them, their `category_counts`."""
    if counts is None:
        counts = category_counts(columns, all_rows)
    blocks: dict[str, tuple[str, list[Row]]] = {}
    visible: list[Row] = []
    for row in all_rows:
        feature = row.feature
        name, shown_rows = blocks.setdefault(feature.category_slug, (feature.category_name, []))
        if _visible(row, filters):
            shown_rows.append(row)
            visible.append(row)

    matrix_blocks = tuple(
        CategoryBlock(slug=slug, name=name, rows=tuple(shown_rows), counts=counts[slug])
        for slug, (name, shown_rows) in blocks.items()
        if shown_rows
    )
    # The rows the filters show, the differences that matter most first.
    ranked = sorted(
        (r for r in visible if r.spread > 0), key=lambda r: (-weight(r), -r.spread, r.feature.name)
    )
    return Matrix(
        columns=tuple(columns),
        blocks=matrix_blocks,
        filters=filters,
        top_differences=tuple(ranked[:top]),
        total_features=len(all_rows),
        shown_features=len(visible),
        all_categories=tuple((slug, name) for slug, (name, _) in blocks.items()),
    )


def _visible(row: Row, filters: Filters) -> bool:
    if filters.categories and row.feature.category_slug not in filters.categories:
        return False
    if filters.query and not matches(row.feature, filters.query):
        return False
    if filters.differences_only and not row.differs:
        return False
    return not (filters.hide_unknown and any(c.support == "unknown" for c in row.cells))


@dataclass(frozen=True)
class Selection:
    pairs: tuple[tuple[str, str | None], ...]  # (platform slug, release version or None = current)
    errors: tuple[str, ...]


def parse_selection(param: str, known: dict[str, Sequence[str]]) -> Selection:
    """`hyper-v,vmware-esxi@8.0` → pairs; unknown slugs or releases become messages."""
    pairs: list[tuple[str, str | None]] = []
    errors: list[str] = []
    for item in (part.strip() for part in param.split(",")):
        if not item:
            continue
        slug, _sep, version = item.partition("@")
        if slug not in known:
            errors.append(_("Unknown platform '%(slug)s'.") % {"slug": slug})
        elif version and version not in known[slug]:
            errors.append(
                _("%(slug)s has no release '%(version)s' (known: %(known)s).")
                % {"slug": slug, "version": version, "known": glossary.join_list(known[slug])}
            )
        elif any(slug == s for s, _version in pairs):
            errors.append(_("'%(slug)s' is chosen twice.") % {"slug": slug})
        else:
            pairs.append((slug, version or None))
    if len(pairs) > MAX_PLATFORMS:
        errors.append(_("Choose at most %(max)s platforms.") % {"max": MAX_PLATFORMS})
        pairs = pairs[:MAX_PLATFORMS]
    return Selection(tuple(pairs), tuple(errors))


def to_json(grid: Matrix) -> dict:
    """The same Matrix object the compare page renders, as JSON."""
    return {
        "platforms": [
            {"slug": c.slug, "name": c.name, "release": c.release.version} for c in grid.columns
        ],
        "filters": {
            "categories": list(grid.filters.categories),
            "q": grid.filters.query,
            "diff": grid.filters.differences_only,
            "hide_unknown": grid.filters.hide_unknown,
        },
        "total_features": grid.total_features,
        "shown_features": grid.shown_features,
        "top_differences": [r.feature.slug for r in grid.top_differences],
        "categories": [
            {
                "slug": block.slug,
                "name": block.name,
                "counts": [vars(c) for c in block.counts],
                "rows": [
                    {
                        "feature": row.feature.slug,
                        "name": row.feature.name,
                        "unit": row.feature.unit,
                        "importance": row.feature.importance,
                        "differs": row.differs,
                        "cells": [
                            {
                                "claim": cell.claim_id,
                                "support": cell.support,
                                "value": cell.value,
                                "text": cell.text,
                                "edition": cell.edition,
                                "disputed": cell.disputed,
                                "stale": cell.stale,
                                "sources": [s.url for s in cell.sources],
                            }
                            for cell in row.cells
                        ],
                    }
                    for row in block.rows
                ],
            }
            for block in grid.blocks
        ],
    }

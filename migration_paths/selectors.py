"""Read shapes for the migration pages and API: a few flat queries folded by paths.py."""

from __future__ import annotations

from dataclasses import dataclass

from comparisons.models import Platform
from portal.localized import translated

from . import paths
from .forms import GridQuery
from .models import MigrationMethod, MigrationPath, MigrationStatement, StatementCitation

PUBLISHED = ("published", "disputed")


def _platforms() -> list[paths.PlatformRef]:
    return [
        paths.PlatformRef(slug, name)
        for slug, name in Platform.objects.hypervisors()
        .order_by("position", "name")
        .values_list("slug", "name")
    ]


def platform_slugs() -> set[str]:
    return set(Platform.objects.hypervisors().values_list("slug", flat=True))


def _method_rows(**filters) -> list[paths.MethodRow]:
    fields = (
        "id",
        "path__source__slug",
        "path__target__slug",
        "slug",
        "tool",
        "kind",
        "mode",
        "status",
        "confidence",
        "source_versions",
        "target_versions",
    )
    rows = MigrationMethod.objects.filter(status__in=PUBLISHED, **filters).order_by(
        "path_id", "position"
    )
    return [paths.MethodRow(*values) for values in rows.values_list(*fields)]


@dataclass(frozen=True)
class GridPage:
    grid: paths.Grid
    query: GridQuery
    platforms: tuple[paths.PlatformRef, ...]


def grid_page(*, query: GridQuery) -> GridPage:
    """The from × to grid (4 queries whatever the number of platforms and methods)."""
    platforms = _platforms()
    entries = MigrationPath.objects.values_list("source__slug", "target__slug")
    cited = (
        StatementCitation.objects.filter(
            statement__status__in=PUBLISHED, statement__method__status__in=PUBLISHED
        )
        .values_list(
            "statement__method__path__source__slug",
            "statement__method__path__target__slug",
            "source_id",
        )
        .distinct()
    )
    grid = paths.build_grid(
        platforms,
        list(entries),
        _method_rows(),
        list(cited),
        kinds=frozenset(query.kinds),
        min_mode=query.mode or None,
    )
    if query.source or query.target:
        rows = tuple(r for r in grid.rows if not query.source or r.source.slug == query.source)
        keep = [i for i, c in enumerate(grid.columns) if not query.target or c.slug == query.target]
        grid = paths.Grid(
            columns=tuple(grid.columns[i] for i in keep),
            rows=tuple(paths.GridRow(r.source, tuple(r.cells[i] for i in keep)) for r in rows),
        )
    return GridPage(grid=grid, query=query, platforms=tuple(platforms))


@dataclass(frozen=True)
class PairPage:
    pair: paths.Pair
    summary: str
    has_entry: bool
    platforms: tuple[paths.PlatformRef, ...]


class UnknownPlatform(LookupError):
    pass


def pair_page(*, source: str, target: str) -> PairPage:
    """One pair's methods, statements and citations in the request's language (5 queries)."""
    platforms = _platforms()
    refs = {p.slug: p for p in platforms}
    if source not in refs or target not in refs or source == target:
        raise UnknownPlatform(f"No migration pair {source} → {target}.")
    path = MigrationPath.objects.between(source, target).values_list(translated("summary")).first()
    methods = _method_rows(path__source__slug=source, path__target__slug=target)
    ids = [m.id for m in methods]
    statement_rows = (
        MigrationStatement.objects.filter(method_id__in=ids)
        .order_by("method_id", "position")
        .values_list("id", "method_id", "topic", translated("text"), "status", "confidence")
    )
    statements = [paths.StatementRow(*row) for row in statement_rows]
    citations = [
        paths.CitationRow(
            statement_id,
            source_id,
            url,
            title,
            publisher,
            checked.isoformat() if checked else "",
            locator,
            quote,
            stance,
        )
        for statement_id, source_id, url, title, publisher, checked, locator, quote, stance in (
            StatementCitation.objects.filter(statement__method_id__in=ids)
            .order_by("statement_id", "position", "pk")
            .values_list(
                "statement_id",
                "source_id",
                "source__url",
                "source__title",
                "source__publisher",
                "source__checked",
                "locator",
                "quote",
                "stance",
            )
        )
    ]
    pair = paths.build_pair(refs[source], refs[target], methods, statements, citations)
    summary = path[0] if path else ""
    return PairPage(
        pair=pair, summary=summary, has_entry=path is not None, platforms=tuple(platforms)
    )


def paths_from(slug: str) -> list[paths.Cell]:
    """The documented pairs out of and into one platform, for its platform page (3 queries)."""
    page = grid_page(query=GridQuery())
    return [c for c in page.grid.cells if slug in (c.source.slug, c.target.slug)]

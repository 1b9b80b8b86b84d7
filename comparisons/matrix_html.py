"""The matrix table's body as HTML, built with plain string joins.

Through the template engine the 945 cells of an 8-platform matrix took about 250 ms per
render (variable lookups, auto-escaping and one translation lookup per tag per cell); built
here, with each translated word looked up once per render, they take a few milliseconds.
The markup is what compare.html had; every value is escaped."""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from .matrix import SUPPORT_ICON, SUPPORT_TEXT, Cell, Matrix, Row


class _Words:
    """Translated words of one render, in the active language."""

    def __init__(self) -> None:
        self.differ = escape(gettext("The chosen platforms differ"))
        self.separator = escape(pgettext("separator between a label and its value", ": "))
        self.no_data = escape(gettext("No data"))
        self.disputed = (
            f'<span class="flag disputed" title="{escape(gettext("Disputed claim"))}">'
            f"⚠ {escape(gettext('disputed'))}</span>"
        )
        stale_title = escape(gettext("Newest source checked more than 12 months ago"))
        self.stale = (
            f'<span class="flag stale" title="{stale_title}">'
            f"⏳ {escape(gettext('check overdue'))}</span>"
        )
        self.labels = {support: escape(str(text)) for support, text in SUPPORT_TEXT.items()}
        self._sources: dict[int, str] = {}

    def sources(self, count: int) -> str:
        if count not in self._sources:
            text = ngettext("%(counter)s source", "%(counter)s sources", count)
            self._sources[count] = escape(text % {"counter": count})
        return self._sources[count]

    def edition(self, edition: str) -> str:
        return escape(gettext("Edition: %(edition)s") % {"edition": edition})


def _cell(cell: Cell, kind: str, words: _Words) -> str:
    parts = [f'<td class="cell support-{cell.support}">']
    if cell.claim_id:
        url = f"/claims/{cell.claim_id}/"
        parts.append(
            f'<a class="cell-link" href="{url}" hx-get="{url}" hx-target="#claim-panel" '
            'hx-swap="innerHTML">'
        )
        if kind == "text" and cell.text:
            parts.append(f'<span class="cell-text">{escape(cell.text)}</span>')
        else:
            parts.append(
                f'<span aria-hidden="true">{SUPPORT_ICON[cell.support]}</span> '
                f"{words.labels[cell.support]}"
            )
            if cell.display_value:
                parts.append(f"{words.separator}{escape(cell.display_value)}")
        parts.append("</a>")
    else:
        parts.append(f'<span aria-hidden="true">?</span> {words.no_data}')
    if cell.edition:
        parts.append(f'<div class="edition">{words.edition(cell.edition)}</div>')
    parts.append('<div class="meta">')
    if cell.disputed:
        parts.append(words.disputed)
    if cell.stale:
        parts.append(words.stale)
    if cell.claim_id:
        parts.append(f'<span class="muted">{words.sources(cell.source_count)}</span>')
    parts.append("</div></td>")
    return "".join(parts)


def _row(row: Row, words: _Words) -> str:
    feature = row.feature
    mark = f' <span class="diff-mark" title="{words.differ}">≠</span>' if row.differs else ""
    differs = ' class="differs"' if row.differs else ""
    cells = "".join(_cell(cell, feature.kind, words) for cell in row.cells)
    return (
        f'<tr id="feature-{escape(feature.slug)}"{differs}>'
        f'<th scope="row" class="feature-col"><span title="{escape(feature.description)}">'
        f"{escape(feature.name)}</span>{mark}</th>{cells}</tr>\n"
    )


def matrix_body(grid: Matrix) -> SafeString:
    """The <tbody> elements of the matrix table: one per category, a heading row and a row
    per feature."""
    words = _Words()
    span = len(grid.columns) + 1
    if not grid.blocks:
        empty = escape(gettext("No feature matches these filters."))
        return mark_safe(f'<tbody><tr><td colspan="{span}">{empty}</td></tr></tbody>')
    html = []
    for block in grid.blocks:
        html.append(
            f'<tbody id="category-{escape(block.slug)}">\n<tr class="category-row">'
            f'<th scope="colgroup" colspan="{span}">{escape(block.name)}</th></tr>\n'
        )
        html.extend(_row(row, words) for row in block.rows)
        html.append("</tbody>\n")
    return mark_safe("".join(html))

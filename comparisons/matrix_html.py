"""Claim cells and the matrix table's body as HTML, built with plain string joins.

Through the template engine the 945 cells of an 8-platform matrix took about 250 ms per
render (variable lookups, auto-escaping and one translation lookup per tag per cell); built
here, with each translated word looked up once per language, they take a few milliseconds.
`claim_cell` is the one renderer of a claim cell: the matrix, the compare page's top
differences, the platform page and the release-changes page all draw cells with it (through
the `claim_cell` template tag), so a cell reads the same everywhere. Every value is escaped."""

import functools
import re
from html import escape
from weakref import WeakKeyDictionary

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext

from portal.numbers import percent

from .matrix import SUPPORT_ICON, SUPPORT_TEXT, CategoryCount, Cell, Matrix, Row

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_URL_MARK = 918273645  # a claim id no catalogue has; replaced by the real id
_SLUG_MARK = "url-slug-mark"  # likewise a slug


class _Words:
    """Translated words and the claim URL pattern of one language."""

    def __init__(self) -> None:
        self.differ = escape(gettext("The chosen platforms differ"))
        self.separator = escape(pgettext("separator between a label and its value", ": "))
        self.label_separator = escape(pgettext("separator between a label and its value", ":"))
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
        low_title = escape(gettext("Low confidence: read the claim’s sources and note"))
        self.low = (
            f'<span class="flag low" title="{low_title}">{escape(gettext("low confidence"))}</span>'
        )
        self.marks = {
            support: (
                f'<span class="support-mark support-{support}"><span aria-hidden="true">'
                f"{SUPPORT_ICON[support]}</span> {escape(str(text))}</span>"
            )
            for support, text in SUPPORT_TEXT.items()
        }
        self.no_claim = (
            '<span class="support-mark support-unknown"><span aria-hidden="true">?</span> '
            f"{self.no_data}</span>"
        )
        # One reverse() per URL name and language, not one per link: at ~30 µs a call,
        # reversing each of the 728 cells of the 7-platform matrix made its render 1.5-2x
        # slower (measured).
        self._claim = _around("claim-detail", _URL_MARK)
        self._benchmark = _around("benchmark-detail", _SLUG_MARK)
        self._platform = _around("platform-detail", _SLUG_MARK)
        self.zh = (get_language() or "").startswith("zh")
        self._sources: dict[int, str] = {}
        self.not_enough_runs = (
            f'<td><span class="muted">{escape(gettext("not enough runs on a shared host"))}'
            "</span></td>"
        )
        self.of_bare_metal = gettext("%(percent)s of bare metal")

    def url(self, claim_id: int) -> str:
        return f"{self._claim[0]}{claim_id}{self._claim[1]}"

    def benchmark_url(self, slug: str) -> str:
        return f"{self._benchmark[0]}{escape(slug)}{self._benchmark[1]}"

    def platform_url(self, slug: str) -> str:
        return f"{self._platform[0]}{escape(slug)}{self._platform[1]}"

    def sources(self, count: int) -> str:
        if count not in self._sources:
            text = ngettext("%(counter)s source", "%(counter)s sources", count)
            self._sources[count] = escape(text % {"counter": count})
        return self._sources[count]

    def edition(self, edition: str) -> str:
        return escape(gettext("Edition: %(edition)s") % {"edition": edition})

    def relative_cell(self, relative: float | None) -> str:
        """One platform's median as a share of bare metal, or why there is none."""
        if not relative:
            return self.not_enough_runs
        return f"<td>{escape(self.of_bare_metal % {'percent': percent(relative)})}</td>"


_WORDS: dict[tuple[str, str], _Words] = {}


def _around(name: str, mark: str | int) -> tuple[str, str]:
    """The URL of `name` before and after its one argument."""
    before, after = reverse(name, args=[mark]).split(str(mark))
    return before, after


# The same few tallies recur on every page, so each is worded once per language (as template
# tags, the summary's ~500 translations cost more than the rest of the page).
@functools.lru_cache(maxsize=4096)
def _count_cell(counts: CategoryCount, language: str) -> str:
    return f"<td>{_count_text(counts)}</td>"


def _count_text(counts: CategoryCount) -> str:
    text = escape(
        gettext("%(full)s full / %(partial)s partial")
        % {"full": counts.full, "partial": counts.partial}
    )
    if counts.limits:
        limits = ngettext("%(counter)s limit stated", "%(counter)s limits stated", counts.limits)
        text += " · " + escape(limits % {"counter": counts.limits})
    if counts.not_applicable:
        text += " · " + escape(
            gettext("%(count)s not applicable") % {"count": counts.not_applicable}
        )
    if counts.unknown:
        unknown = escape(gettext("%(unknown)s unknown") % {"unknown": counts.unknown})
        text += f' <span class="muted">({unknown})</span>'
    return text


def words() -> _Words:
    """The words of the active language (translations do not change while a process runs)."""
    key = (get_language() or "", get_script_prefix())
    if key not in _WORDS:
        _WORDS[key] = _Words()
    return _WORDS[key]


def lang_attr(text: str) -> str:
    """` lang="en"` for text shown untranslated on a Chinese page (the catalogue falls back
    to English), so a screen reader reads it with the right voice."""
    return _lang(text, words())


def _lang(text: str, w: _Words) -> str:
    return ' lang="en"' if w.zh and text and not _CJK.search(text) else ""


def claim_cell(cell: Cell, kind: str = "support", *, panel: bool = False) -> SafeString:
    """A cell's support in words and symbol (never colour alone), its value or text, linked
    to its claim. `panel` makes the link open the claim in the compare page's panel; the
    link's href still leads to the claim page without JavaScript."""
    return mark_safe(_claim_cell(cell, kind, panel, words()))


def _claim_cell(cell: Cell, kind: str, panel: bool, w: _Words) -> str:
    if not cell.claim_id:
        return w.no_claim
    url = w.url(cell.claim_id)
    parts = [f'<a class="cell-link" href="{url}"']
    if panel:
        parts.append(f' hx-get="{url}" hx-target="#claim-panel-body" hx-swap="innerHTML"')
    parts.append(f">{w.marks[cell.support]}")
    if kind == "text" and cell.text:
        text = escape(cell.text)
        parts.append(f'<span class="cell-text"{_lang(cell.text, w)}>{text}</span>')
    elif cell.display_value:
        parts.append(f"{w.separator}{escape(cell.display_value)}")
    parts.append("</a>")
    return "".join(parts)


def _cell(cell: Cell, kind: str, w: _Words) -> str:
    parts = [f'<td class="cell">{_claim_cell(cell, kind, True, w)}']
    if cell.edition:
        parts.append(f'<div class="edition">{w.edition(cell.edition)}</div>')
    if cell.claim_id:
        parts.append('<div class="meta">')
        if cell.disputed:
            parts.append(w.disputed)
        if cell.stale:
            parts.append(w.stale)
        if cell.confidence == "low":
            parts.append(w.low)
        parts.append(f'<span class="muted">{w.sources(cell.source_count)}</span></div>')
    parts.append("</td>")
    return "".join(parts)


def _row(row: Row, w: _Words) -> str:
    feature = row.feature
    # The ≠ mark says in words what it means (a title alone is hover-only).
    mark = (
        f' <span class="diff-mark"><span aria-hidden="true">≠</span>'
        f'<span class="visually-hidden">{w.differ}</span></span>'
        if row.differs
        else ""
    )
    differs = ' class="differs"' if row.differs else ""
    cells = "".join(_cell(cell, feature.kind, w) for cell in row.cells)
    return (
        f'<tr id="feature-{escape(feature.slug)}"{differs}>'
        f'<th scope="row" class="feature-col"><span title="{escape(feature.description)}"'
        f"{_lang(feature.name, w)}>{escape(feature.name)}</span>{mark}</th>{cells}</tr>\n"
    )


# The HTML of rows, per language: the compare page keeps its rows with the snapshot (see
# selectors.matrix_page), so a row is drawn once however many filters show it; an entry
# goes when its row does.
_ROW_HTML: WeakKeyDictionary[Row, dict[_Words, str]] = WeakKeyDictionary()


def _row_html(row: Row, w: _Words) -> str:
    drawn = _ROW_HTML.get(row)
    if drawn is None:
        drawn = _ROW_HTML.setdefault(row, {})
    html = drawn.get(w)
    if html is None:
        html = drawn[w] = _row(row, w)
    return html


def matrix_body(grid: Matrix) -> SafeString:
    """The <tbody> elements of the matrix table: one per category, a heading row and a row
    per feature."""
    w = words()
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
        html.extend(_row_html(row, w) for row in block.rows)
        html.append("</tbody>\n")
    return mark_safe("".join(html))


def category_summary_rows(grid: Matrix) -> SafeString:
    """The per-category summary's rows: full / partial support per column, counted over all
    of a category's features, for the categories the filters show."""
    language = get_language() or ""
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{escape(block.name)}</th>'
            f"{''.join(_count_cell(counts, language) for counts in block.counts)}</tr>\n"
            for block in grid.blocks
        )
    )


def top_difference_items(grid: Matrix) -> SafeString:
    """The summary's list of the differences that matter most: each feature, linked to its
    row, and every column's cell (opening the claim in the panel)."""
    w = words()
    items = []
    for row in grid.top_differences:
        feature = row.feature
        cells = " · ".join(
            f"{escape(col.name)} {_claim_cell(cell, feature.kind, True, w)}"
            for col, cell in zip(grid.columns, row.cells, strict=True)
        )
        items.append(
            f'<li><a href="#feature-{escape(feature.slug)}"{_lang(feature.name, w)}>'
            f"{escape(feature.name)}</a>{w.label_separator}\n        {cells}\n      </li>\n"
        )
    return mark_safe("".join(items))

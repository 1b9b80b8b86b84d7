from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from comparisons import compare_html, matrix_html, performance_html
from portal import numbers

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(fraction):
    return numbers.percent(fraction)


SUPPORT_WORDS = {
    "full": _("supported"),
    "partial": _("partly supported"),
    "none": _("not supported"),
    "not-applicable": _("not applicable"),
    "no-limit": _("no documented limit"),
    "unknown": _("unknown"),
}
CHANGE_WORDS = {
    "added": _("added"),
    "removed": _("removed"),
    "raised": _("limit raised"),
    "lowered": _("limit lowered"),
    "changed": _("changed"),
}


@register.filter
def support_word(support):
    return SUPPORT_WORDS.get(support, _("no claim"))


@register.filter
def change_word(kind):
    return CHANGE_WORDS.get(kind, kind)


@register.simple_tag
def matrix_body(grid):
    """The matrix rows, rendered in Python (see comparisons.matrix_html for why)."""
    return matrix_html.matrix_body(grid)


@register.simple_tag
def claim_cell(cell, kind="support", panel=False):
    """One claim cell's content, drawn the same way as in the matrix."""
    return matrix_html.claim_cell(cell, kind, panel=panel)


@register.filter
def lang_attr(text):
    """` lang="en"` on English fallback text on a Chinese page."""
    return mark_safe(matrix_html.lang_attr(str(text or "")))


@register.simple_tag
def category_summary_rows(grid):
    """The per-category summary's rows, in Python (see matrix_html.category_summary_rows)."""
    return matrix_html.category_summary_rows(grid)


@register.simple_tag
def top_difference_items(grid):
    """The summary's top differences, in Python (see matrix_html.top_difference_items)."""
    return matrix_html.top_difference_items(grid)


@register.simple_tag
def verdict_html(verdict):
    """The performance verdict in words, in Python (see comparisons.performance_html)."""
    return performance_html.verdict_html(verdict)


@register.simple_tag
def performance_rows(performance, columns):
    """The performance table's rows, in Python (see comparisons.performance_html)."""
    return performance_html.performance_rows(performance, columns)


@register.simple_tag
def platform_picks(platforms, chosen):
    """The picker's platforms, in Python (see comparisons.compare_html)."""
    return compare_html.platform_picks(platforms, chosen)


@register.simple_tag
def category_toggles(grid, filters):
    """The category filter's checkboxes, in Python (see comparisons.compare_html)."""
    return compare_html.category_toggles(grid.all_categories, filters.categories)


@register.simple_tag
def column_headers(grid, remove_links):
    """The matrix's column headings, in Python (see comparisons.compare_html)."""
    return compare_html.column_headers(grid.columns, remove_links)

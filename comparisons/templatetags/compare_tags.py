from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comparisons import matrix_html, performance_html

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(fraction):
    return f"{fraction * 100:.1f}%"


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
def release_options(platform, chosen_column):
    """The release <option>s of one platform in the picker (the chosen one, else the current
    release, selected), in Python: one translation per page, not one per option."""

    chosen = chosen_column.release.version if chosen_column else None
    current = " " + gettext("(current)")

    def option(release):
        selected = release.version == chosen if chosen else release.is_current
        return (
            release.version,
            " selected" if selected else "",
            release.version,
            current if release.is_current else "",
        )

    return format_html_join(
        "\n", '<option value="{}"{}>{}{}</option>', (option(r) for r in platform.releases.all())
    ) or format_html("")

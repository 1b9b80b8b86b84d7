from html import escape

from django import template
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
def platform_picks(platforms, chosen):
    """The picker's platforms: a checkbox (ticked when the platform is a column) and a release
    <select> (its release selected, else the current one). In Python like the matrix: as
    template tags the picker cost about a tenth of a cache miss."""
    current = " " + escape(gettext("(current)"))
    picks = []
    for platform in platforms:
        slug, name = escape(platform.slug), escape(platform.name)
        column = chosen.get(platform.slug)
        wanted = column.release.version if column else None
        options = "\n".join(
            f'<option value="{escape(r.version)}"'
            f"{' selected' if (r.version == wanted if wanted else r.is_current) else ''}>"
            f"{escape(r.version)}{current if r.is_current else ''}</option>"
            for r in platform.releases.all()
        )
        release_label = escape(gettext("%(platform)s release") % {"platform": platform.name})
        picks.append(
            f'<span class="pick">\n'
            f'<input type="checkbox" name="platform" value="{slug}" id="pick-{slug}"'
            f"{' checked' if column else ''}>\n"
            f'<label for="pick-{slug}">{name}</label>\n'
            f'<label class="visually-hidden" for="release-{slug}">{release_label}</label>\n'
            f'<select name="release-{slug}" id="release-{slug}">\n{options}\n</select>\n'
            "</span>\n"
        )
    return mark_safe("".join(picks))

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from comparisons import matrix_html

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


@register.filter
def area_name(area: str) -> str:
    """The label of a benchmark area ("storage" → "Storage"), translated."""
    from benchmarks.verdicts import area_label

    return area_label(area)


@register.filter
def sentences(items) -> str:
    """Sentences as one paragraph: Chinese runs them together, other languages need a space."""
    from django.utils.translation import get_language

    return ("" if (get_language() or "").startswith("zh") else " ").join(items)


@register.simple_tag
def category_cells(all_counts):
    """The cells of one row of the per-category summary (see category_counts)."""
    return format_html_join("", "<td>{}</td>", ((category_counts(c),) for c in all_counts))


@register.simple_tag
def difference_cells(row, columns):
    """One top difference: each platform's name and cell (see matrix_html.claim_cell)."""
    return format_html_join(
        " · ",
        "{} {}",
        (
            (col.name, matrix_html.claim_cell(cell, row.feature.kind, panel=True))
            for col, cell in zip(columns, row.cells, strict=True)
        ),
    )


@register.simple_tag
def performance_cells(entry, columns):
    """One benchmark's row of the compare page's performance table, in Python: as template
    tags its per-cell translations cost a tenth of a cache miss."""
    missing = format_html(
        '<td><span class="muted">{}</span></td>', gettext("not enough runs on a shared host")
    )
    of_bare_metal = gettext("%(percent)s of bare metal")
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html("<td>{}</td>", of_bare_metal % {"percent": percent(rel)})
                if (rel := entry["relative"].get(col.slug))
                else missing,
            )
            for col in columns
        ),
    )


def category_counts(counts):
    """One cell of the per-category summary, in Python: as template tags, the summary's ~500
    translations cost more than the rest of the page (the same messages as before)."""

    text = gettext("%(full)s full / %(partial)s partial") % {
        "full": counts.full,
        "partial": counts.partial,
    }
    if counts.limits:
        text += " · " + ngettext(
            "%(counter)s limit stated", "%(counter)s limits stated", counts.limits
        ) % {"counter": counts.limits}
    if counts.not_applicable:
        text += " · " + gettext("%(count)s not applicable") % {"count": counts.not_applicable}
    if not counts.unknown:
        return text
    unknown = gettext("%(unknown)s unknown") % {"unknown": counts.unknown}
    return format_html('{} <span class="muted">({})</span>', text, unknown)


@register.simple_tag
def release_options(platform, chosen_column):
    """The release <option>s of one platform in the picker (the chosen one, else the current
    release, selected), in Python for the same reason as category_counts."""

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

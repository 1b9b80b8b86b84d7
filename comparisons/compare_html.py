"""The compare page's form and column headings as HTML, built with plain string joins like
the matrix (see matrix_html): as template loops, with a translation and a reverse() per
platform, they cost about a fifth of a cache miss. Every value is escaped."""

from collections.abc import Mapping, Sequence
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .matrix import Column
from .matrix_html import words
from .models import Platform


def platform_picks(platforms: Sequence[Platform], chosen: Mapping[str, Column]) -> SafeString:
    """The picker's platforms: a checkbox (ticked when the platform is a column) and a release
    <select> (its release selected, else the current one)."""
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


def category_toggles(categories: Sequence[tuple[str, str]], chosen: Sequence[str]) -> SafeString:
    """One checkbox per category, ticked when the filter names it."""
    return mark_safe(
        "".join(
            f'<span class="toggle"><input type="checkbox" name="category" value="{escape(slug)}"'
            f' id="cat-{escape(slug)}"{" checked" if slug in chosen else ""}>'
            f'<label for="cat-{escape(slug)}">{escape(name)}</label></span>\n'
            for slug, name in categories
        )
    )


def column_headers(columns: Sequence[Column], remove_links: Mapping[str, str]) -> SafeString:
    """A heading per column: the platform (linked to its page) and release, and with more than
    two columns a link that removes it."""
    compare = reverse("compare")
    w = words()
    headers = []
    for col in columns:
        slug = escape(col.slug)
        remove = ""
        if len(columns) > 2:
            label = escape(gettext("Remove %(platform)s") % {"platform": col.name})
            remove = (
                f'<a class="remove" href="{compare}?{escape(remove_links[col.slug])}"'
                f' data-untick="pick-{slug}" aria-label="{label}">×</a>'
            )
        headers.append(
            f'<th scope="col">\n<a href="{w.platform_url(col.slug)}">{escape(col.name)}</a> '
            f'<span class="muted">{escape(col.release.version)}</span>\n{remove}\n</th>\n'
        )
    return mark_safe("".join(headers))

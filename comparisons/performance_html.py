"""The compare page's performance section as HTML: the verdict in words and the table of
medians against bare metal, built with plain string joins like the matrix (see matrix_html):
through template tags its loops, links and translations cost more than a tenth of a cache
miss. Every value is escaped."""

from collections.abc import Sequence
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from benchmarks.verdicts import Verdict, area_label

from .matrix import Column
from .matrix_html import words


def verdict_html(verdict: Verdict) -> SafeString:
    """A sentence per pair of platforms, then per area what the evidence says and the charts
    it rests on."""
    w = words()
    zh = w.zh  # Chinese runs sentences together; other languages need a space
    charts = escape(gettext("Charts:"))
    html = []
    if verdict.pairs:
        pairs = "".join(f"<li>{escape(sentence)}</li>" for sentence in verdict.pairs)
        html.append(f'<ul class="verdict-pairs">{pairs}</ul>')
    html.append('<dl class="verdict">')
    for area in verdict.areas:
        said = ("" if zh else " ").join(area.sentences)
        html.append(f"<dt>{escape(area_label(area.area))}</dt><dd>{escape(said)}")
        if area.benchmarks:
            links = ", ".join(
                f'<a href="{w.benchmark_url(slug)}">{escape(slug)}</a>' for slug in area.benchmarks
            )
            html.append(f'<br><span class="muted">{charts} {links}</span>')
        html.append("</dd>\n")
    html.append("</dl>")
    return mark_safe("".join(html))


def performance_rows(
    performance: Sequence[dict[str, Any]], columns: Sequence[Column]
) -> SafeString:
    """The table's rows: per benchmark (on its headline metric), each column's median as a
    share of bare metal on the same host, or why there is none."""
    w = words()
    rows = []
    for entry in performance:
        benchmark, metric = entry["benchmark"], entry["metric"]
        cells = "".join(w.relative_cell(entry["relative"].get(col.slug)) for col in columns)
        rows.append(
            f'<tr><th scope="row"><a href="{w.benchmark_url(benchmark.slug)}'
            f'?metric={escape(metric.slug)}">{escape(benchmark.name)}</a> '
            f'<span class="muted">({escape(metric.name)})</span></th>{cells}</tr>\n'
        )
    return mark_safe("".join(rows))

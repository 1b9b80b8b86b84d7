"""Plotly figures as plain dicts: rows in, figure out. Rendered by our static plotly.js."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from django.utils.translation import gettext as _

from portal.numbers import tidy

from .stats import MIN_RUNS
from .summaries import ChartRow, OverheadRow, by_series

WEBGL_THRESHOLD = 1000  # above this many points a trace draws with WebGL
# Autorange ends at the highest point, which then sits on or above the top gridline's label;
# the axis ends this much higher so every point is drawn below it.
HEADROOM = 1.08


def _y_axis(title: str, tops: Sequence[float | None]) -> dict:
    axis: dict = {"title": {"text": title}, "rangemode": "tozero"}
    finite = [v for v in tops if v is not None and math.isfinite(v)]
    if finite and min(finite) >= 0 and max(finite) > 0:
        axis["range"] = [0, max(finite) * HEADROOM]
    return axis


def _percent(value: float) -> float | None:
    """A fraction as a percentage; None for an unbounded interval end (JSON has no infinity)."""
    return round(value * 100, 2) if math.isfinite(value) else None


def _hover(row: ChartRow, unit: str) -> str:
    # Plotly reads a little HTML in hover text: submitted names are escaped, only <br> is ours.
    approx = _(" (approximate)") if row.approximate else ""
    paid = _(" (paid for by %(who)s)") % {"who": row.paid_by} if row.paid_by else ""
    line = _("Run %(pk)s: %(series)s, %(value)s %(unit)s") % {
        "pk": row.run_id,
        "series": row.series,
        "value": tidy(row.value),
        "unit": unit,
    }
    return f"{escape(line)}{approx}{escape(paid)}<br>{escape(row.environment_label)}"


def runs_figure(rows: Sequence[ChartRow], *, metric_name: str, unit: str) -> dict:
    """One box with every run as a point per platform and release; click a point for the run.
    A group of fewer than MIN_RUNS runs has no spread to draw: its runs are labelled points."""
    data = []
    for (_platform, _release), group in by_series(rows).items():
        name = escape(group[0].series)
        values = [r.value for r in group]
        run_ids = [r.run_id for r in group]
        hover = [_hover(r, unit) for r in group]
        if len(group) < MIN_RUNS:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers+text",
                    "name": name,
                    "x": [name] * len(values),
                    "y": values,
                    "text": [f"n = {len(group)}"] * len(values),
                    "textposition": "middle right",
                    "customdata": run_ids,
                    "hovertext": hover,
                    "hoverinfo": "text",
                    "marker": {"size": 10, "symbol": "diamond"},
                }
            )
        elif len(group) > WEBGL_THRESHOLD:
            data.append(
                {
                    "type": "scattergl",
                    "mode": "markers",
                    "name": name,
                    "x": [name] * len(values),
                    "y": values,
                    "customdata": run_ids,
                    "hovertext": hover,
                    "hoverinfo": "text",
                    "marker": {"size": 4, "opacity": 0.5},
                }
            )
        else:
            data.append(
                {
                    "type": "box",
                    "name": name,
                    "y": values,
                    "boxpoints": "all",
                    "jitter": 0.4,
                    "pointpos": 0,
                    "customdata": run_ids,
                    "hovertext": hover,
                    "hoverinfo": "text",
                }
            )
    return {
        "data": data,
        "layout": {
            "title": {"text": _("%(metric)s: every accepted run") % {"metric": metric_name}},
            "yaxis": _y_axis(unit, [r.value for r in rows]),
            "showlegend": False,
            "margin": {"t": 50, "r": 20, "b": 60, "l": 70},
        },
    }


def overhead_figure(rows: Sequence[OverheadRow]) -> dict:
    """Relative performance vs bare metal on the same host, with 95% intervals."""
    usable = [r for r in rows if r.result is not None]
    hosts = sorted({r.environment_label for r in usable})
    data = []
    for host in hosts:
        group = [r for r in usable if r.environment_label == host]
        data.append(
            {
                "type": "bar",
                "name": escape(host),
                "x": [escape(r.name) for r in group],
                "y": [_percent(r.result.relative) for r in group],
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [_percent(r.result.ci_high - r.result.relative) for r in group],
                    "arrayminus": [_percent(r.result.relative - r.result.ci_low) for r in group],
                },
                "hovertext": [escape(r.text) for r in group],
                "hoverinfo": "text",
            }
        )
    return {
        "data": data,
        "layout": {
            "title": {"text": _("Performance relative to bare metal on the same host")},
            "yaxis": _y_axis(
                _("Percent of bare metal"),
                [100.0] + [_percent(max(r.result.relative, r.result.ci_high)) for r in usable],
            ),
            "barmode": "group",
            "shapes": [
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": 100,
                    "y1": 100,
                    "line": {"dash": "dot", "width": 1},
                }
            ],
            "margin": {"t": 50, "r": 20, "b": 60, "l": 70},
        },
    }

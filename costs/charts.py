"""Cost figures as plain Plotly dicts, drawn by our static plotly.js (static/js/charts.js)."""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _

from . import rules

GROUPS = ("licence", "guest-licence", "support")
COLOURS = {"licence": "#1f77b4", "guest-licence": "#ff7f0e", "support": "#2ca02c"}


def _group_name(role: str) -> str:
    return {
        "licence": _("Platform licence or subscription"),
        "guest-licence": _("Windows Server licences"),
        "support": _("Support"),
    }[role]


def stacked_costs_figure(result: rules.Estimate, currency: str) -> dict:
    """One bar per platform, stacked by kind of cost, in one currency over the whole term."""
    names = [escape(p.name) for p in result.platforms]
    data = []
    for role in GROUPS:
        values, hover = [], []
        for cost in result.platforms:
            items = [
                i
                for i in cost.items
                if i.applied and i.currency == currency and i.price.role == role
            ]
            amount = sum((i.amount for i in items if i.amount is not None), 0)
            values.append(float(amount))
            hover.append("<br>".join(f"{escape(i.label)}" for i in items) or "—")
        if any(values):
            data.append(
                {
                    "type": "bar",
                    "name": _group_name(role),
                    "x": names,
                    "y": values,
                    "hovertext": hover,
                    "hoverinfo": "text+y+name",
                    "marker": {"color": COLOURS[role]},
                }
            )
    unknown = [
        _("+ %(n)s unknown") % {"n": p.unknown_count} if p.unknown_count else ""
        for p in result.platforms
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "x": names,
            "y": [0 for _p in result.platforms],
            "text": unknown,
            "textposition": "top center",
            "showlegend": False,
            "hoverinfo": "skip",
        }
    )
    return {
        "data": data,
        "layout": {
            "barmode": "stack",
            "yaxis": {
                "title": {"text": f"{currency}, {result.estate.years} y"},
                "rangemode": "tozero",
            },
            "legend": {"orientation": "h"},
            "margin": {"t": 20, "r": 10, "l": 70, "b": 60},
            "height": 380,
        },
    }

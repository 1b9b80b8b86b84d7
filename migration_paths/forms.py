"""The migration pages' URL state: ?from=&to=&mode=&kind= as a frozen query object."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.http import urlencode

MODE_FILTERS = ("live", "warm", "cold")
KIND_FILTERS = ("vendor-tool", "open-source", "backup-restore", "manual")


@dataclass(frozen=True)
class GridQuery:
    source: str = ""
    target: str = ""
    mode: str = ""
    kinds: tuple[str, ...] = ()

    def querystring(self) -> str:
        items = [("from", self.source), ("to", self.target), ("mode", self.mode)]
        items += [("kind", k) for k in self.kinds]
        return urlencode([(k, v) for k, v in items if v])

    def without(self, *names: str) -> GridQuery:
        blank = {"from": "source", "to": "target", "mode": "mode", "kind": "kinds"}
        return replace(self, **{blank[n]: () if n == "kind" else "" for n in names})


def parse_grid_query(params, platforms: set[str]) -> tuple[GridQuery, list[str]]:
    """The query and what was wrong with it (unknown values are dropped and reported)."""
    errors = []
    source = params.get("from", "")
    target = params.get("to", "")
    mode = params.get("mode", "")
    kinds = tuple(dict.fromkeys(params.getlist("kind")))
    if source and source not in platforms:
        errors.append(f"Unknown platform {source!r} in 'from'.")
        source = ""
    if target and target not in platforms:
        errors.append(f"Unknown platform {target!r} in 'to'.")
        target = ""
    if mode and mode not in MODE_FILTERS:
        errors.append(f"Unknown mode {mode!r}; use one of {', '.join(MODE_FILTERS)}.")
        mode = ""
    bad = [k for k in kinds if k not in KIND_FILTERS]
    if bad:
        errors.append(f"Unknown kind {bad[0]!r}; use one of {', '.join(KIND_FILTERS)}.")
        kinds = tuple(k for k in kinds if k in KIND_FILTERS)
    return GridQuery(source, target, mode, kinds), errors

"""URL state as frozen query objects: what a page was asked for, and how to link to it.

Forms (comparisons.forms, benchmarks.forms) build these from a QueryDict; nothing below the
view sees a QueryDict. `.querystring()` is the canonical form, `.without()` a link that
drops one thing."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.http import urlencode

from . import matrix


@dataclass(frozen=True)
class CompareQuery:
    platforms: str = ""  # "slug@version,slug", as chosen; "" = the default pair
    filters: matrix.Filters = matrix.Filters()

    def items(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = [("platforms", self.platforms)] if self.platforms else []
        found += [("category", c) for c in self.filters.categories]
        if self.filters.query:
            found.append(("q", self.filters.query))
        if self.filters.differences_only:
            found.append(("diff", "1"))
        if self.filters.hide_unknown:
            found.append(("hide_unknown", "1"))
        return found

    def querystring(self) -> str:
        return urlencode(self.items())

    def with_platforms(self, params: list[str]) -> CompareQuery:
        return replace(self, platforms=",".join(params))

    def without(self, slug: str) -> CompareQuery:
        """The same comparison without one platform."""
        kept = [p for p in self.platforms.split(",") if p and p.partition("@")[0] != slug]
        return self.with_platforms(kept)


@dataclass(frozen=True)
class ScenarioQuery:
    """A reader's adjustments of a scenario: category weights (w-<category>), the must-have
    list when edited (must=…, musts=1), the unknown policy, and the estate to cost."""

    weights: tuple[tuple[str, float], ...] = ()
    must: tuple[str, ...] | None = None  # None: the scenario's own list
    unknown: str = ""  # "": the scenario's own policy
    estate: tuple[tuple[str, str], ...] = ()  # calculator inputs, as given
    owned: tuple[str, ...] = ()

    def items(self) -> list[tuple[str, str]]:
        found = [(f"w-{slug}", f"{weight:g}") for slug, weight in self.weights]
        if self.must is not None:
            found += [("musts", "1")] + [("must", slug) for slug in self.must]
        found += [("unknown", self.unknown)] if self.unknown else []
        found += list(self.estate) + [("owned", o) for o in self.owned]
        return found

    def querystring(self) -> str:
        return urlencode(self.items())

    def without(self, *names: str) -> ScenarioQuery:
        """The same adjustments without some of them: "weights", "must", "unknown"…"""
        defaults = ScenarioQuery()
        return replace(self, **{name: getattr(defaults, name) for name in names})

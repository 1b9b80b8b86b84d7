"""The compare page's performance verdict in words: per area (CPU, memory, storage, network,
applications), what the stored evidence says about the chosen platforms — against bare metal
on the same host, and against each other on the same hardware — from how many sources and
runs, how old, and who paid. Pure: rows in, sentences out.

A comparison exists only where two platforms (or a platform and bare metal) were measured on
the same host with the same benchmark and metric; runs from different hardware are never
compared. Single published figures (n = 1) count, and are said to be single figures.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .stats import ratio

BASELINE = "bare-metal"
# Platforms built on another platform's hypervisor: its evidence is related, never theirs.
RELATED = {"proxmox-ve": "kvm", "nutanix-ahv": "kvm"}
AREAS = ("cpu", "memory", "storage", "network", "application")


def area_label(area: str) -> str:
    labels = {
        "cpu": _("CPU"),
        "memory": _("Memory"),
        "storage": _("Storage"),
        "network": _("Network"),
        "application": _("Applications"),
    }
    return labels.get(area, area)


@dataclass(frozen=True)
class Measurement:
    """(count, median) of one metric of one benchmark, for one platform on one host."""

    area: str
    benchmark: str  # slug
    metric: int  # id
    better: str
    platform: str
    host: int
    source: str  # source key, "" for runs submitted through the API
    n: int
    median: float
    relative_to: str = ""  # a percentage of this platform's figure on the same host


@dataclass(frozen=True)
class SourceInfo:
    key: str
    publisher: str
    year: int | None
    paid_by: str  # "" when independent, else the vendor or sponsor


@dataclass(frozen=True)
class Comparison:
    """One same-host comparison: `platform` relative to `against` (1.0 = equal)."""

    benchmark: str
    host: int
    source: str
    relative: float
    single: bool  # a side rests on one figure (n = 1)


@dataclass(frozen=True)
class AreaVerdict:
    area: str
    sentences: tuple[str, ...]
    benchmarks: tuple[str, ...]  # slugs of the benchmarks the sentences rest on
    has_evidence: bool
    comparisons: int = 0


@dataclass(frozen=True)
class Verdict:
    areas: tuple[AreaVerdict, ...]
    headline: str
    pairs: tuple[str, ...] = ()  # one sentence per pair of chosen platforms, all areas
    missing_pairs: tuple[tuple[str, str], ...] = field(default=())


def same_host_comparisons(
    rows: Iterable[Measurement], platform: str, against: str
) -> list[Comparison]:
    """Every host where both were measured on the same benchmark and metric."""
    cells: dict[tuple[str, int, int], dict[str, Measurement]] = {}
    found = []
    for row in rows:
        if row.relative_to:
            found += _reported_ratio(row, platform, against)
        elif row.platform in (platform, against) and row.median > 0:
            cells.setdefault((row.benchmark, row.metric, row.host), {})[row.platform] = row
    for (benchmark, _metric, host), sides in sorted(cells.items()):
        if platform in sides and against in sides:
            mine, theirs = sides[platform], sides[against]
            found.append(
                Comparison(
                    benchmark=benchmark,
                    host=host,
                    source=mine.source or theirs.source,
                    relative=ratio(mine.median, theirs.median, mine.better),
                    single=min(mine.n, theirs.n) == 1,
                )
            )
    return found


def _reported_ratio(row: Measurement, platform: str, against: str) -> list[Comparison]:
    """A source that reports only "X reached p% of Y on the same host"."""
    sides = (row.platform, row.relative_to)
    if sides not in {(platform, against), (against, platform)} or row.median <= 0:
        return []
    relative = row.median / 100 if row.better == "higher" else 100 / row.median
    if sides == (against, platform):
        relative = 1 / relative
    return [Comparison(row.benchmark, row.host, row.source, relative, single=row.n == 1)]


def _sources_phrase(comparisons: Sequence[Comparison], sources: dict[str, SourceInfo]) -> str:
    keys = sorted({c.source for c in comparisons if c.source})
    submitted = any(not c.source for c in comparisons)
    infos = [sources[k] for k in keys if k in sources]
    years = [i.year for i in infos if i.year]
    paid = sorted({i.paid_by for i in infos if i.paid_by})
    parts = []
    if infos:
        parts.append(
            ngettext("%(count)s published source", "%(count)s published sources", len(infos))
            % {"count": len(infos)}
        )
    if submitted:
        parts.append(_("runs submitted through the kit or API"))
    text = _(", ").join(parts)
    if years:
        text += " " + (
            _("(%(year)s)") % {"year": years[0]}
            if min(years) == max(years)
            else _("(%(first)s–%(last)s)") % {"first": min(years), "last": max(years)}
        )
    if paid:
        text += _("; ") + _("paid for by %(who)s") % {"who": _(", ").join(paid)}
    return text


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _describe(
    comparisons: Sequence[Comparison], sources: dict[str, SourceInfo], name: str, other: str
) -> str:
    values = [c.relative for c in comparisons]
    singles = sum(c.single for c in comparisons)
    # Two messages, not ngettext: one comparison has no median or range to give, and
    # languages with a single plural form (Chinese) would have to print them anyway.
    text = (
        _("%(name)s reached %(median)s of %(other)s in 1 same-host comparison")
        if len(values) == 1
        else _(
            "%(name)s reached a median %(median)s of %(other)s in %(count)s same-host "
            "comparisons (%(low)s to %(high)s)"
        )
    ) % {
        "name": name,
        "other": other,
        "median": _percent(statistics.median(values)),
        "count": len(values),
        "low": _percent(min(values)),
        "high": _percent(max(values)),
    }
    text += _(", ") + _("from %(sources)s") % {"sources": _sources_phrase(comparisons, sources)}
    if singles:
        text += _("; ") + ngettext(
            "%(count)s of them rests on a single figure per side (n = 1)",
            "%(count)s of them rest on single figures per side (n = 1)",
            singles,
        ) % {"count": singles}
    return text + _(".")


def area_verdict(
    area: str,
    rows: Sequence[Measurement],
    platforms: dict[str, str],
    sources: dict[str, SourceInfo],
    related_names: dict[str, str] | None = None,
) -> AreaVerdict:
    """Sentences for one area: each platform against bare metal, then each pair."""
    names = {**(related_names or {}), **platforms, BASELINE: _("bare metal")}
    sentences: list[str] = []
    unmeasured: list[str] = []
    used: set[str] = set()
    count = 0
    for slug, name in platforms.items():
        found = same_host_comparisons(rows, slug, BASELINE)
        if found:
            sentences.append(_describe(found, sources, name, names[BASELINE]))
            used |= {c.benchmark for c in found}
            count += len(found)
            continue
        upstream = RELATED.get(slug)
        related = same_host_comparisons(rows, upstream, BASELINE) if upstream else []
        if related:
            sentences.append(
                _("No same-host measurement of %(name)s against bare metal yet.") % {"name": name}
                + " "
                + _("Related evidence from another platform on the same hypervisor:")
                + " "
                + _describe(related, sources, names.get(upstream, upstream), names[BASELINE])
            )
            used |= {c.benchmark for c in related}
        else:
            unmeasured.append(name)
    if unmeasured:
        sentences.append(_unmeasured_sentence(unmeasured))
    slugs = list(platforms)
    uncompared: list[tuple[str, str]] = []
    for index, first in enumerate(slugs):
        for second in slugs[index + 1 :]:
            found = same_host_comparisons(rows, first, second)
            if found:
                sentences.append(_describe(found, sources, platforms[first], platforms[second]))
                used |= {c.benchmark for c in found}
                count += len(found)
            else:
                uncompared.append((platforms[first], platforms[second]))
    if uncompared:
        sentences.append(_uncompared_sentence(uncompared))
    return AreaVerdict(area, tuple(sentences), tuple(sorted(used)), count > 0, count)


# What is missing is said once per area, not once per platform or pair: with four platforms
# an area had up to ten sentences, most of them "No same-host … yet."
def _unmeasured_sentence(names: Sequence[str]) -> str:
    if len(names) == 1:
        return _("No same-host measurement of %(name)s against bare metal yet.") % {
            "name": names[0]
        }
    separator = pgettext("separator between platform names in a list", ", ")
    return _("No same-host measurement against bare metal yet of: %(names)s.") % {
        "names": separator.join(names)
    }


def _uncompared_sentence(pairs: Sequence[tuple[str, str]]) -> str:
    if len(pairs) == 1:
        first, second = pairs[0]
        return _("No same-host comparison of %(first)s and %(second)s yet.") % {
            "first": first,
            "second": second,
        }
    return _("No same-host comparison yet of: %(pairs)s.") % {
        "pairs": _("; ").join(f"{first} – {second}" for first, second in pairs)
    }


def verdict(
    rows: Sequence[Measurement],
    platforms: dict[str, str],
    sources: dict[str, SourceInfo],
    related_names: dict[str, str] | None = None,
) -> Verdict:
    """Every area's sentences, and a headline for the chosen platforms as a whole."""
    by_area: dict[str, list[Measurement]] = {area: [] for area in AREAS}
    for row in rows:
        by_area.setdefault(row.area, []).append(row)
    areas = tuple(area_verdict(a, by_area[a], platforms, sources, related_names) for a in by_area)
    slugs = list(platforms)
    area_of = {row.benchmark: row.area for row in rows}
    pairs, missing = [], []
    for index, first in enumerate(slugs):
        for second in slugs[index + 1 :]:
            found = same_host_comparisons(rows, first, second)
            if not found:
                missing.append((first, second))
                pairs.append(
                    _("No same-host comparison of %(first)s and %(second)s yet, in any area.")
                    % {"first": platforms[first], "second": platforms[second]}
                )
                continue
            covered = sorted({area_of[c.benchmark] for c in found})
            pairs.append(
                _describe(found, sources, platforms[first], platforms[second]).removesuffix(_("."))
                + " "
                + _("(areas: %(areas)s).") % {"areas": _(", ").join(map(area_label, covered))}
            )
    total = sum(a.comparisons for a in areas)
    if not total:
        headline = _(
            "No stored benchmark compares these platforms on the same hardware yet, so the "
            "portal cannot say whether they differ in performance."
        )
    elif missing:
        without = "; ".join(f"{platforms[a]} – {platforms[b]}" for a, b in missing)
        headline = _(
            "Evidence exists for some of these platforms, but no same-host comparison for: "
            "%(pairs)s. Differences below rest on comparisons with bare metal on other hosts."
        ) % {"pairs": without}
    else:
        headline = _(
            "Every pair of these platforms has at least one comparison on the same hardware; "
            "the areas below say which, how many and who paid for them."
        )
    return Verdict(areas=areas, headline=headline, pairs=tuple(pairs), missing_pairs=tuple(missing))

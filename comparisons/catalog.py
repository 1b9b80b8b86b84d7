"""Read and validate the catalogue YAML files. Pure: files in, entries and problems out.

The loader (services.load_catalog) only runs when validate() found no problem, so a
broken catalogue never half-loads.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import aliases as platform_aliases

SUPPORT_LEVELS = ("full", "partial", "none", "unknown")
STATUSES = ("draft", "published", "disputed", "retracted")
CONFIDENCES = ("high", "medium", "low")
STANCES = ("supports", "contradicts")
FEATURE_KINDS = ("support", "number", "text")
BETTER = ("higher", "lower")
PLATFORM_KINDS = ("type1", "kernel-module", "hosted", "baseline")
SOURCE_KINDS = ("vendor-doc", "kb", "release-notes", "paper", "benchmark-report", "article")
# Who paid for a source of results; "" = not stated (claims' documentation sources).
SOURCE_AFFILIATIONS = ("", "independent", "vendor", "sponsored")
VERDICTS = ("accurate", "partly-accurate", "outdated", "wrong")
# Column sizes, checked here because SQLite does not enforce them and PostgreSQL does.
MAX_LENGTHS = {
    "claims": {"text": 500},
    "citations": {"locator": 300},
    "sources": {"key": 80, "url": 600, "title": 300, "publisher": 120, "affiliated_with": 120},
    "features": {"slug": 50, "name": 160, "unit": 30},
}


@dataclass(frozen=True)
class Entry:
    file: str
    index: int
    data: dict[str, Any]

    def where(self, label: str = "") -> str:
        name = label or self.data.get("slug") or self.data.get("key") or self.data.get("feature")
        return f"{self.file}: entry {self.index}" + (f" ({name})" if name else "")


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Catalog:
    vendors: list[Entry] = field(default_factory=list)
    categories: list[Entry] = field(default_factory=list)
    platforms: list[Entry] = field(default_factory=list)
    sources: list[Entry] = field(default_factory=list)
    claims: list[Entry] = field(default_factory=list)
    factchecks: list[Entry] = field(default_factory=list)
    # claims_zh/<platform>.yaml: the Chinese of claim texts and notes, kept beside the
    # English so the two can be edited apart (see chinese_for).
    claims_zh: list[Entry] = field(default_factory=list)


class CatalogInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the catalogue")


_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_FULL_WIDTH = "，。；：、（）“”！？《》"
_FOLDED_SPACE = re.compile(rf"(?<=[{_CJK}{_FULL_WIDTH}]) +(?=[{_CJK}{_FULL_WIDTH}])")


def unfold_chinese(value: Any) -> Any:
    """YAML folds a wrapped line into a space, which Chinese does not have: drop the spaces
    between Chinese characters and full-width punctuation in every *_zh text."""
    if isinstance(value, dict):
        return {
            k: _FOLDED_SPACE.sub("", v)
            if isinstance(k, str) and k.endswith("_zh") and isinstance(v, str)
            else unfold_chinese(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [unfold_chinese(v) for v in value]
    return value


def _load_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    rel = str(path.relative_to(root))
    try:
        return unfold_chinese(yaml.safe_load(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        problems.append(Problem(f"{rel}{line}", f"not valid YAML: {exc}"))
    except UnicodeDecodeError:
        problems.append(Problem(rel, "not UTF-8 text"))
    return None


def _entries(data: Any, rel: str, problems: list[Problem]) -> list[Entry]:
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(rel, "expected a list of entries"))
        return []
    entries = []
    for index, item in enumerate(data, start=1):
        if isinstance(item, dict):
            entries.append(Entry(rel, index, item))
        else:
            problems.append(Problem(f"{rel}: entry {index}", "expected a mapping"))
    return entries


def read_catalog(root: Path) -> tuple[Catalog, list[Problem]]:
    """Parse every catalogue file under root; YAML errors become problems."""
    problems: list[Problem] = []
    catalog = Catalog()
    if not root.is_dir():
        return catalog, [Problem(str(root), "catalogue folder not found")]

    def read_list(rel: str) -> list[Entry]:
        path = root / rel
        if not path.exists():
            return []
        return _entries(_load_yaml(path, root, problems), rel, problems)

    catalog.vendors = read_list("vendors.yaml")
    catalog.categories = read_list("categories.yaml")
    catalog.factchecks = read_list("factchecks.yaml")
    for path in sorted((root / "platforms").glob("*.yaml")):
        rel = str(path.relative_to(root))
        data = _load_yaml(path, root, problems)
        if isinstance(data, dict):
            catalog.platforms.append(Entry(rel, 1, data))
        elif data is not None:
            problems.append(Problem(rel, "expected one platform mapping"))
    for path in sorted((root / "sources").glob("*.yaml")):
        rel = str(path.relative_to(root))
        catalog.sources += _entries(_load_yaml(path, root, problems), rel, problems)
    for path in sorted((root / "claims").glob("*.yaml")):
        rel = str(path.relative_to(root))
        for entry in _entries(_load_yaml(path, root, problems), rel, problems):
            # The file name names the platform, so a claim cannot sit in the wrong file.
            catalog.claims.append(Entry(rel, entry.index, {**entry.data, "platform": path.stem}))
    for path in sorted((root / "claims_zh").glob("*.yaml")):
        rel = str(path.relative_to(root))
        for entry in _entries(_load_yaml(path, root, problems), rel, problems):
            catalog.claims_zh.append(Entry(rel, entry.index, {**entry.data, "platform": path.stem}))
    return catalog, problems


def en_sha(text: str) -> str:
    """The short hash a Chinese entry carries of the English it translates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def claim_key(data: dict) -> tuple[str, str, str, str | None]:
    """A claim's identity: platform, feature, first release, edition."""
    return (data["platform"], data["feature"], str(data["from"]), data.get("edition") or None)


def chinese_for(claim: dict, chinese: dict | None) -> dict[str, str]:
    """The Chinese text and note of a claim, each only while the hash it carries matches the
    current English (a stale translation is dropped, and the reader sees the English, like a
    fuzzy gettext entry)."""
    found = {"text": "", "note": ""}
    for name in found:
        english = claim.get(name) or ""
        current = english and chinese and chinese.get(f"{name}_en_sha") == en_sha(english)
        if current and chinese.get(f"{name}_zh"):
            found[name] = chinese[f"{name}_zh"]
    return found


@dataclass(frozen=True)
class TranslationStatus:
    """Per claim key: which English texts lack a current Chinese, and why."""

    missing: list[tuple[tuple, str]]  # (claim key, "text" | "note"): no Chinese at all
    stale: list[tuple[tuple, str]]  # the English changed since it was translated
    orphans: list[tuple]  # Chinese for a claim the catalogue no longer has


def translation_status(catalog: Catalog) -> TranslationStatus:
    chinese = {claim_key(e.data): e.data for e in catalog.claims_zh if _has_key(e.data)}
    missing, stale = [], []
    keys = set()
    for entry in catalog.claims:
        if not _has_key(entry.data):
            continue
        key = claim_key(entry.data)
        keys.add(key)
        current = chinese_for(entry.data, chinese.get(key))
        for name in ("text", "note"):
            if not entry.data.get(name) or current[name]:
                continue
            if (chinese.get(key) or {}).get(f"{name}_zh"):
                stale.append((key, name))
            else:
                missing.append((key, name))
    orphans = [key for key in chinese if key not in keys]
    return TranslationStatus(missing, stale, orphans)


def _has_key(data: dict) -> bool:
    return bool(data.get("feature")) and data.get("from") is not None


def as_date(value: Any) -> datetime.date | None:
    """A YAML date or an ISO string; raises ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)")


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def lengths(self, data: dict, where: str, kind: str) -> None:
        for key, limit in MAX_LENGTHS[kind].items():
            value = data.get(key)
            if isinstance(value, str) and len(value) > limit:
                self.add(where, f"'{key}' is {len(value)} characters; at most {limit}")

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def required(self, entry: Entry, where: str, *keys: str) -> bool:
        missing = [k for k in keys if entry.data.get(k) in (None, "")]
        for key in missing:
            self.add(where, f"'{key}' is required")
        return not missing

    def choice(self, entry: Entry, where: str, key: str, allowed, default=None) -> None:
        value = entry.data.get(key, default)
        if value not in allowed:
            self.add(where, f"'{key}' is {value!r}; expected one of {', '.join(allowed)}")

    def date(self, entry: Entry, where: str, key: str, required: bool = False):
        value = entry.data.get(key)
        if value is None:
            if required:
                self.add(where, f"'{key}' is required (YYYY-MM-DD)")
            return None
        try:
            return as_date(value)
        except ValueError:
            self.add(where, f"'{key}' is not a valid date: {value!r} (use YYYY-MM-DD)")
            return None

    def unique(self, seen: dict, key, where: str, what: str) -> None:
        if key in seen:
            self.add(where, f"duplicate {what} {key!r} (first at {seen[key]})")
        else:
            seen[key] = where


def _is_http_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and " " not in value


def validate(catalog: Catalog) -> list[Problem]:
    """Every rule a catalogue must keep, reported with file and entry."""
    check = _Checker()

    vendor_slugs: dict = {}
    for entry in catalog.vendors:
        where = entry.where()
        if check.required(entry, where, "slug", "name"):
            check.unique(vendor_slugs, entry.data["slug"], where, "vendor")

    features: dict[str, dict] = {}
    category_slugs: dict = {}
    for entry in catalog.categories:
        where = entry.where()
        if not check.required(entry, where, "slug", "name"):
            continue
        check.unique(category_slugs, entry.data["slug"], where, "category")
        for position, feature in enumerate(entry.data.get("features") or [], start=1):
            f_where = f"{where} feature {position} ({feature.get('slug')})"
            f_entry = Entry(entry.file, entry.index, feature)
            if not check.required(f_entry, f_where, "slug", "name"):
                continue
            check.lengths(feature, f_where, "features")
            check.choice(f_entry, f_where, "kind", FEATURE_KINDS, default="support")
            if feature.get("kind") == "number":
                check.required(f_entry, f_where, "unit")
                check.choice(f_entry, f_where, "better", BETTER)
            aliases = feature.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                check.add(f_where, "'aliases' must be a list of names")
            if feature["slug"] in features:
                check.add(f_where, f"duplicate feature {feature['slug']!r}")
            features[feature["slug"]] = feature

    releases: dict[str, dict[str, int]] = {}
    editions: dict[str, set[str]] = {}
    platform_slugs: dict = {}
    for entry in catalog.platforms:
        where = entry.where()
        if not check.required(entry, where, "slug", "name", "vendor", "kind"):
            continue
        slug = entry.data["slug"]
        check.unique(platform_slugs, slug, where, "platform")
        if entry.file != f"platforms/{slug}.yaml":
            check.add(where, f"platform {slug!r} must be in platforms/{slug}.yaml")
        if entry.data["vendor"] not in vendor_slugs:
            check.add(where, f"unknown vendor {entry.data['vendor']!r}")
        check.choice(entry, where, "kind", PLATFORM_KINDS)
        versions: dict[str, int] = {}
        currents = 0
        for position, release in enumerate(entry.data.get("releases") or [], start=1):
            r_where = f"{where} release {position}"
            r_entry = Entry(entry.file, position, release)
            if not isinstance(release.get("version"), str) or not release["version"]:
                check.add(r_where, "'version' must be a quoted string such as \"8.0\"")
                continue
            if release["version"] in versions:
                check.add(r_where, f"duplicate release {release['version']!r}")
            versions[release["version"]] = position
            released = check.date(r_entry, r_where, "released")
            ends = check.date(r_entry, r_where, "end_of_support")
            if released and ends and ends < released:
                check.add(r_where, "end_of_support is before the release date")
            currents += bool(release.get("current"))
        if versions and currents != 1:
            check.add(where, f"exactly one release must be current (found {currents})")
        releases[slug] = versions
        editions[slug] = set()
        for position, edition in enumerate(entry.data.get("editions") or [], start=1):
            if not edition.get("name"):
                check.add(f"{where} edition {position}", "'name' is required")
            elif edition["name"] in editions[slug]:
                check.add(f"{where} edition {position}", f"duplicate edition {edition['name']!r}")
            else:
                editions[slug].add(edition["name"])
    named = []
    for entry in catalog.platforms:
        names = entry.data.get("aliases") or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            check.add(entry.where(), "'aliases' must be a list of names")
        else:
            named.append((str(entry.data.get("slug", "")), names))
    for problem in platform_aliases.clashes(named):
        check.add("platforms", problem)

    source_keys: dict = {}
    source_urls: dict = {}
    for entry in catalog.sources:
        where = entry.where()
        if not check.required(entry, where, "key", "url", "title", "publisher", "kind"):
            continue
        check.unique(source_keys, entry.data["key"], where, "source key")
        check.lengths(entry.data, where, "sources")
        check.unique(source_urls, entry.data["url"], where, "source URL")
        if not _is_http_url(entry.data["url"]):
            check.add(where, f"url must be an http(s) address: {entry.data['url']!r}")
        check.choice(entry, where, "kind", SOURCE_KINDS)
        check.date(entry, where, "checked", required=True)
        check.date(entry, where, "published")
        check.choice(entry, where, "affiliation", SOURCE_AFFILIATIONS, default="")
        who = entry.data.get("affiliated_with") or ""
        if entry.data.get("affiliation") in ("vendor", "sponsored") and not who:
            check.add(where, "a vendor or sponsored source needs 'affiliated_with' (who paid)")
        elif who and entry.data.get("affiliation") not in ("vendor", "sponsored"):
            check.add(where, "'affiliated_with' is only for a vendor or sponsored source")

    claim_keys: dict = {}
    for entry in catalog.claims:
        data = entry.data
        platform = data["platform"]
        where = entry.where(f"{data.get('feature')}@{data.get('from')}")
        if platform not in releases:
            check.add(where, f"unknown platform {platform!r} (no platforms/{platform}.yaml)")
            continue
        if not check.required(entry, where, "feature", "from", "support"):
            continue
        feature = features.get(data["feature"])
        if feature is None:
            check.add(where, f"unknown feature {data['feature']!r}")
            continue
        versions = releases[platform]
        start = versions.get(str(data["from"]))
        if start is None:
            check.add(where, f"unknown release {data['from']!r} of {platform}")
        if data.get("until") is not None:
            end = versions.get(str(data["until"]))
            if end is None:
                check.add(where, f"unknown release {data['until']!r} of {platform}")
            elif start is not None and end < start:
                check.add(where, "'until' comes before 'from'")
        if data.get("edition") and data["edition"] not in editions.get(platform, set()):
            check.add(where, f"unknown edition {data['edition']!r} of {platform}")
        check.unique(
            claim_keys,
            (platform, data["feature"], str(data["from"]), data.get("edition")),
            where,
            "claim",
        )
        check.choice(entry, where, "support", SUPPORT_LEVELS)
        check.lengths(data, where, "claims")
        check.choice(entry, where, "status", STATUSES, default="draft")
        check.choice(entry, where, "confidence", CONFIDENCES, default="medium")
        if data["support"] in ("partial", "unknown") and not data.get("note"):
            check.add(where, f"a {data['support']} claim needs a note")
        kind = feature.get("kind", "support")
        value = data.get("value")
        if kind == "number" and data["support"] in ("full", "partial") and value is None:
            check.add(where, f"a number in {feature['unit']} is required ('value')")
        if value is not None:
            if kind != "number":
                check.add(where, f"'value' given but {data['feature']!r} is not a number feature")
            elif isinstance(value, bool) or not isinstance(value, int | float):
                check.add(where, f"'value' must be a number in {feature['unit']}, got {value!r}")
            elif "unit" in data and data["unit"] != feature["unit"]:
                check.add(where, f"unit {data['unit']!r} does not match {feature['unit']!r}")
        supporting = 0
        for position, citation in enumerate(data.get("citations") or [], start=1):
            c_where = f"{where} citation {position}"
            check.lengths(citation, c_where, "citations")
            if citation.get("source") not in source_keys:
                check.add(c_where, f"unknown source {citation.get('source')!r}")
            stance = citation.get("stance", "supports")
            if stance not in STANCES:
                check.add(c_where, f"'stance' is {stance!r}; expected supports or contradicts")
            supporting += stance == "supports"
        if data.get("status", "draft") in ("published", "disputed") and not supporting:
            check.add(where, "a published claim needs at least one supporting citation")

    chinese_keys: dict = {}
    for entry in catalog.claims_zh:
        where = entry.where(f"{entry.data.get('feature')}@{entry.data.get('from')}")
        if not check.required(entry, where, "feature", "from"):
            continue
        check.unique(chinese_keys, claim_key(entry.data), where, "claim translation")
        for name in ("text", "note"):
            if entry.data.get(f"{name}_zh") and not entry.data.get(f"{name}_en_sha"):
                check.add(where, f"'{name}_zh' needs '{name}_en_sha', the hash of the English")
        if entry.data.get("text_zh") and len(entry.data["text_zh"]) > MAX_LENGTHS["claims"]["text"]:
            check.add(where, "'text_zh' is longer than 500 characters")

    factcheck_slugs: dict = {}
    for entry in catalog.factchecks:
        where = entry.where()
        if not check.required(entry, where, "slug", "statement", "verdict", "explanation"):
            continue
        check.unique(factcheck_slugs, entry.data["slug"], where, "fact check")
        check.choice(entry, where, "verdict", VERDICTS)
        for key in entry.data.get("sources") or []:
            if key not in source_keys:
                check.add(where, f"unknown source {key!r}")
        for concern in entry.data.get("claims") or []:
            if concern.get("platform") not in releases:
                check.add(where, f"unknown platform {concern.get('platform')!r}")
            if concern.get("feature") not in features:
                check.add(where, f"unknown feature {concern.get('feature')!r}")
    return check.problems

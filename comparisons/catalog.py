"""Read and validate the catalogue YAML files. Pure: files in, entries and problems out (the
models are read only for their choices and column sizes).

The loader (services.load_catalog) only runs when validate() found no problem, so a
broken catalogue never half-loads.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import models

from portal import yaml_files

from . import aliases as platform_aliases
from .models import Citation, Claim, FactCheck, Feature, Platform, Source

# The allowed values are the models' choices, so a catalogue cannot hold what the database
# would refuse.
SUPPORT_LEVELS = tuple(Claim.Support.values)
STATUSES = tuple(Claim.Status.values)
CONFIDENCES = tuple(Claim.Confidence.values)
STANCES = tuple(Citation.Stance.values)
FEATURE_KINDS = tuple(Feature.Kind.values)
BETTER = tuple(Feature.Better.values)
PLATFORM_KINDS = tuple(Platform.Kind.values)
SOURCE_KINDS = tuple(Source.Kind.values)
# Who paid for a source of results; "" = not stated (claims' documentation sources).
SOURCE_AFFILIATIONS = ("", *Source.Affiliation.values)
VERDICTS = tuple(FactCheck.Verdict.values)
IMPORTANCE = (1, 2, 3)


def _max_lengths(model: type[models.Model], *names: str) -> dict[str, int]:
    return {name: model._meta.get_field(name).max_length for name in names}


# Column sizes, checked here because SQLite does not enforce them and PostgreSQL does.
MAX_LENGTHS = {
    "claims": _max_lengths(Claim, "text"),
    "citations": _max_lengths(Citation, "locator"),
    "sources": _max_lengths(Source, "key", "url", "title", "publisher", "affiliated_with"),
    "features": _max_lengths(Feature, "slug", "name", "unit"),
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
        return unfold_chinese(yaml_files.safe_load(path.read_text(encoding="utf-8")))
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
    catalog.claims = _per_platform(root, "claims", problems)
    catalog.claims_zh = _per_platform(root, "claims_zh", problems)
    return catalog, problems


def _per_platform(root: Path, folder: str, problems: list[Problem]) -> list[Entry]:
    """The entries of folder/<platform>.yaml files, each marked with its platform: the file
    name names the platform, so a claim cannot sit in the wrong file."""
    found = []
    for path in sorted((root / folder).glob("*.yaml")):
        rel = str(path.relative_to(root))
        for entry in _entries(_load_yaml(path, root, problems), rel, problems):
            found.append(Entry(rel, entry.index, {**entry.data, "platform": path.stem}))
    return found


def en_sha(text: str) -> str:
    """The short hash a Chinese entry carries of the English it translates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def claim_key(data: dict) -> tuple[str, str, str, str | None]:
    """A claim's identity: platform, feature, first release, edition."""
    return (data["platform"], data["feature"], str(data["from"]), data.get("edition") or None)


def concern_fields(concern: dict) -> dict:
    """A fact check's concern in a fixed key order, optional keys only when given."""
    fields = {"platform": concern["platform"], "feature": concern["feature"]}
    if concern.get("from") is not None:
        fields["from"] = str(concern["from"])
    if concern.get("expects"):
        fields["expects"] = list(concern["expects"])
    return fields


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
        # What earlier steps defined, for later ones to refer to (first-seen place per key).
        self.seen: dict[str, dict] = {}

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def lengths(self, data: dict, where: str, kind: str) -> None:
        for key, limit in MAX_LENGTHS[kind].items():
            value = data.get(key)
            if isinstance(value, str) and len(value) > limit:
                self.add(where, f"'{key}' is {len(value)} characters; at most {limit}")

    def required(self, entry: Entry, where: str, *keys: str) -> bool:
        missing = [k for k in keys if entry.data.get(k) in (None, "")]
        for key in missing:
            self.add(where, f"'{key}' is required")
        return not missing

    def choice(self, entry: Entry, where: str, key: str, allowed, default=None) -> None:
        value = entry.data.get(key, default)
        if value not in allowed:
            self.add(where, f"'{key}' is {value!r}; expected one of {', '.join(map(str, allowed))}")

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

    def unique(self, what: str, key, where: str) -> None:
        seen = self.seen.setdefault(what, {})
        if key in seen:
            self.add(where, f"duplicate {what} {key!r} (first at {seen[key]})")
        else:
            seen[key] = where

    def known(self, what: str) -> dict:
        return self.seen.setdefault(what, {})

    def fields(self, entry: Entry, where: str, rule: _Rule) -> None:
        """The checks a table row states: the entry is unique, within the column sizes, and
        each choice is one the model allows."""
        if rule.unique:
            self.unique(rule.unique, rule.key(entry.data), where)
        if rule.lengths:
            self.lengths(entry.data, where, rule.lengths)
        for key, allowed, default in rule.choices:
            self.choice(entry, where, key, allowed, default)


@dataclass(frozen=True)
class _Rule:
    """What one kind of entry must have; the choices are the models' own."""

    required: tuple[str, ...]
    unique: str = ""  # the name of the entry's identity in a duplicate message
    choices: tuple[tuple[str, tuple[str, ...], str | None], ...] = ()
    lengths: str = ""  # the MAX_LENGTHS table that applies
    identity: Callable[[dict], Any] | None = None  # the unique key; default the first required

    def key(self, data: dict) -> Any:
        return self.identity(data) if self.identity else data[self.required[0]]


RULES = {
    "vendors": _Rule(("slug", "name"), unique="vendor"),
    "categories": _Rule(("slug", "name"), unique="category"),
    "features": _Rule(
        ("slug", "name"), choices=(("kind", FEATURE_KINDS, "support"),), lengths="features"
    ),
    "platforms": _Rule(
        ("slug", "name", "vendor", "kind"),
        unique="platform",
        choices=(("kind", PLATFORM_KINDS, None),),
    ),
    "sources": _Rule(
        ("key", "url", "title", "publisher", "kind"),
        unique="source key",
        choices=(("kind", SOURCE_KINDS, None), ("affiliation", SOURCE_AFFILIATIONS, "")),
        lengths="sources",
    ),
    "claims": _Rule(
        ("feature", "from", "support"),
        unique="claim",
        choices=(
            ("support", SUPPORT_LEVELS, None),
            ("status", STATUSES, "draft"),
            ("confidence", CONFIDENCES, "medium"),
        ),
        lengths="claims",
        identity=lambda d: (d["platform"], d["feature"], str(d["from"]), d.get("edition")),
    ),
    "claims_zh": _Rule(("feature", "from"), unique="claim translation", identity=claim_key),
    "factchecks": _Rule(
        ("slug", "statement", "verdict", "explanation"),
        unique="fact check",
        choices=(("verdict", VERDICTS, None),),
    ),
}


def _is_http_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and " " not in value


def _check_vendor(check: _Checker, entry: Entry) -> None:
    where = entry.where()
    if check.required(entry, where, *RULES["vendors"].required):
        check.fields(entry, where, RULES["vendors"])


def _check_category(check: _Checker, entry: Entry) -> None:
    where = entry.where()
    if not check.required(entry, where, *RULES["categories"].required):
        return
    check.fields(entry, where, RULES["categories"])
    for position, feature in enumerate(entry.data.get("features") or [], start=1):
        _check_feature(check, Entry(entry.file, entry.index, feature), where, position)


def _check_feature(check: _Checker, entry: Entry, category: str, position: int) -> None:
    feature = entry.data
    where = f"{category} feature {position} ({feature.get('slug')})"
    if not check.required(entry, where, *RULES["features"].required):
        return
    check.fields(entry, where, RULES["features"])
    if feature.get("kind") == "number":
        check.required(entry, where, "unit")
        check.choice(entry, where, "better", BETTER)
    importance = feature.get("importance", 2)
    if isinstance(importance, bool) or importance not in IMPORTANCE:
        check.add(where, f"'importance' is {importance!r}; expected one of 1, 2, 3")
    aliases = feature.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        check.add(where, "'aliases' must be a list of names")
    features = check.known("feature")
    if feature["slug"] in features:
        check.add(where, f"duplicate feature {feature['slug']!r}")
    features[feature["slug"]] = feature


def _check_platform(check: _Checker, entry: Entry) -> None:
    where = entry.where()
    if not check.required(entry, where, *RULES["platforms"].required):
        return
    check.fields(entry, where, RULES["platforms"])
    slug = entry.data["slug"]
    if entry.file != f"platforms/{slug}.yaml":
        check.add(where, f"platform {slug!r} must be in platforms/{slug}.yaml")
    if entry.data["vendor"] not in check.known("vendor"):
        check.add(where, f"unknown vendor {entry.data['vendor']!r}")
    _check_position(check, entry, where)
    check.known("releases")[slug] = _check_releases(check, entry, where)
    check.known("editions")[slug] = _check_editions(check, entry, where)


def _check_position(check: _Checker, entry: Entry, where: str) -> None:
    """The platform's place in every table (1 = first; a tie goes by name); a platform
    without one comes last."""
    position = entry.data.get("position")
    if position is None:
        return
    if isinstance(position, bool) or not isinstance(position, int) or position < 1:
        check.add(where, f"'position' must be a whole number from 1, got {position!r}")


def _check_releases(check: _Checker, entry: Entry, where: str) -> dict[str, int]:
    """Release version -> its position; exactly one current release."""
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
    return versions


def _check_editions(check: _Checker, entry: Entry, where: str) -> set[str]:
    names: set[str] = set()
    for position, edition in enumerate(entry.data.get("editions") or [], start=1):
        if not edition.get("name"):
            check.add(f"{where} edition {position}", "'name' is required")
        elif edition["name"] in names:
            check.add(f"{where} edition {position}", f"duplicate edition {edition['name']!r}")
        else:
            names.add(edition["name"])
    return names


def _check_source(check: _Checker, entry: Entry) -> None:
    where = entry.where()
    data = entry.data
    if not check.required(entry, where, *RULES["sources"].required):
        return
    check.fields(entry, where, RULES["sources"])
    check.unique("source URL", data["url"], where)
    if not _is_http_url(data["url"]):
        check.add(where, f"url must be an http(s) address: {data['url']!r}")
    # A copy without its canonical URL is an audit finding (catalog_audit), not a load error:
    # some copies outlived the page they copy.
    archive_of = data.get("archive_of")
    if archive_of and data.get("kind") != "mirror":
        check.add(where, "'archive_of' is only for a mirror or archive copy")
    elif archive_of and not _is_http_url(archive_of):
        check.add(where, f"archive_of must be an http(s) address: {archive_of!r}")
    check.date(entry, where, "checked", required=True)
    check.date(entry, where, "published")
    paid = data.get("affiliation") in ("vendor", "sponsored")
    who = data.get("affiliated_with") or ""
    if paid and not who:
        check.add(where, "a vendor or sponsored source needs 'affiliated_with' (who paid)")
    elif who and not paid:
        check.add(where, "'affiliated_with' is only for a vendor or sponsored source")


def _check_claim(check: _Checker, entry: Entry) -> None:
    data = entry.data
    platform = data["platform"]
    where = entry.where(f"{data.get('feature')}@{data.get('from')}")
    if platform not in check.known("releases"):
        check.add(where, f"unknown platform {platform!r} (no platforms/{platform}.yaml)")
        return
    if not check.required(entry, where, *RULES["claims"].required):
        return
    feature = check.known("feature").get(data["feature"])
    if feature is None:
        check.add(where, f"unknown feature {data['feature']!r}")
        return
    _check_claim_releases(check, data, where)
    check.fields(entry, where, RULES["claims"])
    if data["support"] in ("partial", "unknown") and not data.get("note"):
        check.add(where, f"a {data['support']} claim needs a note")
    _check_claim_value(check, data, feature, where)
    supporting = _check_citations(check, data.get("citations") or [], where)
    if data.get("status", "draft") in ("published", "disputed") and not supporting:
        check.add(where, "a published claim needs at least one supporting citation")


def _check_claim_releases(check: _Checker, data: dict, where: str) -> None:
    """'from' and 'until' name releases of the platform, in order; the edition is its own."""
    platform = data["platform"]
    versions = check.known("releases")[platform]
    start = versions.get(str(data["from"]))
    if start is None:
        check.add(where, f"unknown release {data['from']!r} of {platform}")
    if data.get("until") is not None:
        end = versions.get(str(data["until"]))
        if end is None:
            check.add(where, f"unknown release {data['until']!r} of {platform}")
        elif start is not None and end < start:
            check.add(where, "'until' comes before 'from'")
    if data.get("edition") and data["edition"] not in check.known("editions").get(platform, set()):
        check.add(where, f"unknown edition {data['edition']!r} of {platform}")


def _check_claim_value(check: _Checker, data: dict, feature: dict, where: str) -> None:
    """A number feature's claim carries a number in the feature's unit; no other claim does."""
    kind = feature.get("kind", "support")
    value = data.get("value")
    if data["support"] == "no-limit" and (kind != "number" or value is not None):
        check.add(where, "'no-limit' is for a number feature, without a value")
    if kind == "number" and data["support"] in ("full", "partial") and value is None:
        check.add(where, f"a number in {feature['unit']} is required ('value')")
    if value is None:
        return
    if kind != "number":
        check.add(where, f"'value' given but {data['feature']!r} is not a number feature")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        check.add(where, f"'value' must be a number in {feature['unit']}, got {value!r}")
    elif "unit" in data and data["unit"] != feature["unit"]:
        check.add(where, f"unit {data['unit']!r} does not match {feature['unit']!r}")


def _check_citations(check: _Checker, citations: list[dict], where: str) -> int:
    """Check each citation; return how many support the claim."""
    supporting = 0
    for position, citation in enumerate(citations, start=1):
        c_where = f"{where} citation {position}"
        check.lengths(citation, c_where, "citations")
        if citation.get("source") not in check.known("source key"):
            check.add(c_where, f"unknown source {citation.get('source')!r}")
        stance = citation.get("stance", "supports")
        if stance not in STANCES:
            check.add(c_where, f"'stance' is {stance!r}; expected supports or contradicts")
        supporting += stance == "supports"
    return supporting


def _check_translation(check: _Checker, entry: Entry) -> None:
    data = entry.data
    where = entry.where(f"{data.get('feature')}@{data.get('from')}")
    if not check.required(entry, where, *RULES["claims_zh"].required):
        return
    check.fields(entry, where, RULES["claims_zh"])
    for name in ("text", "note"):
        if data.get(f"{name}_zh") and not data.get(f"{name}_en_sha"):
            check.add(where, f"'{name}_zh' needs '{name}_en_sha', the hash of the English")
    if data.get("text_zh") and len(data["text_zh"]) > MAX_LENGTHS["claims"]["text"]:
        check.add(where, f"'text_zh' is longer than {MAX_LENGTHS['claims']['text']} characters")


def _check_factcheck(check: _Checker, entry: Entry) -> None:
    where = entry.where()
    if not check.required(entry, where, *RULES["factchecks"].required):
        return
    check.fields(entry, where, RULES["factchecks"])
    for key in entry.data.get("sources") or []:
        if key not in check.known("source key"):
            check.add(where, f"unknown source {key!r}")
    releases = check.known("releases")
    for concern in entry.data.get("claims") or []:
        platform = concern.get("platform")
        if platform not in releases:
            check.add(where, f"unknown platform {platform!r}")
        elif concern.get("from") is not None and str(concern["from"]) not in releases[platform]:
            check.add(where, f"unknown release {concern['from']!r} of {platform}")
        if concern.get("feature") not in check.known("feature"):
            check.add(where, f"unknown feature {concern.get('feature')!r}")
        expects = concern.get("expects") or []
        if not isinstance(expects, list) or any(e not in SUPPORT_LEVELS for e in expects):
            check.add(where, f"'expects' must list support levels, got {expects!r}")


# In this order: each kind refers only to kinds checked before it.
_STEPS = (
    ("vendors", _check_vendor),
    ("categories", _check_category),
    ("platforms", _check_platform),
    ("sources", _check_source),
    ("claims", _check_claim),
    ("claims_zh", _check_translation),
    ("factchecks", _check_factcheck),
)


def validate(catalog: Catalog) -> list[Problem]:
    """Every rule a catalogue must keep, reported with file and entry."""
    check = _Checker()
    for kind, step in _STEPS:
        for entry in getattr(catalog, kind):
            step(check, entry)
    _check_platform_aliases(check, catalog.platforms)
    return check.problems


def _check_platform_aliases(check: _Checker, platforms) -> None:
    """Each alias names one platform (a link like ?platforms=esxi must not be ambiguous)."""
    named = []
    for entry in platforms:
        names = entry.data.get("aliases") or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            check.add(entry.where(), "'aliases' must be a list of names")
        else:
            named.append((str(entry.data.get("slug", "")), names))
    for problem in platform_aliases.clashes(named):
        check.add("platforms", problem)

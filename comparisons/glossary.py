"""The Chinese glossary (fixtures/glossary.yaml) and the text rules built on it. Pure.

- `lint` finds rejected variants in reader-visible Chinese;
- `normalize` and `needles` let a search in the reader's own words find the preferred term:
  spaces and full-/half-width differences are ignored, and every rejected variant or search
  word of a glossary entry also searches for the entry's preferred Chinese term.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from portal import yaml_files

GLOSSARY = Path(__file__).resolve().parent.parent / "fixtures" / "glossary.yaml"
_SPACES = re.compile(r"[\s\u3000·・\-_]+")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL_WIDTH = "，。；：、（）“”！？《》"


@dataclass(frozen=True)
class Term:
    en: str
    zh: str
    rejected: tuple[str, ...]
    search: tuple[str, ...]

    def preferred(self) -> tuple[str, ...]:
        """The Chinese term(s) used in running text ("A / B" and "A (note)" forms split)."""
        head = re.sub(r"[(（].*?[)）]", "", self.zh)
        return tuple(part.strip() for part in head.split("/") if part.strip())

    def patterns(self) -> list[re.Pattern]:
        return [
            re.compile(v[3:]) if v.startswith("re:") else re.compile(re.escape(v))
            for v in self.rejected
        ]


@dataclass(frozen=True)
class Hit:
    where: str
    variant: str
    preferred: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.variant!r} (use {self.preferred}) in {self.text[:80]!r}"


def read(path: Path = GLOSSARY) -> tuple[Term, ...]:
    entries = yaml_files.safe_load(path.read_text(encoding="utf-8")) or []
    return tuple(
        Term(
            en=e["en"],
            zh=e["zh"],
            rejected=tuple(str(v) for v in e.get("rejected") or ()),
            search=tuple(str(v) for v in e.get("search") or ()),
        )
        for e in entries
    )


@functools.cache
def terms() -> tuple[Term, ...]:
    return read()


def lint(texts: list[tuple[str, str]], glossary: tuple[Term, ...] | None = None) -> list[Hit]:
    """Rejected variants in (where, text) pairs of running Chinese text."""
    hits = []
    for term in glossary if glossary is not None else terms():
        for pattern in term.patterns():
            for where, text in texts:
                found = pattern.search(text)
                if found:
                    hits.append(Hit(where, found.group(0), term.zh, text))
    return hits


def typography(text: str) -> list[str]:
    """Spaces Chinese typography does not have (between two Chinese characters, next to
    full-width punctuation: the marks of hard-wrapped YAML), and the one half-width space it
    does have, between Chinese and Latin letters or digits (placeholders and tags aside)."""
    problems = []
    bare = re.sub(r"%\([a-z_]+\)s|<[^>]+>", "", text)
    for found in re.finditer(rf"[{_CJK}][A-Za-z0-9]|[A-Za-z0-9][{_CJK}]", bare):
        problems.append(f"no space between Chinese and Latin in {found.group(0)!r}")
    for found in re.finditer(rf"[{_CJK}{_FULL_WIDTH}] +[{_CJK}{_FULL_WIDTH}]", text):
        problems.append(f"space in {found.group(0)!r}")
    for found in re.finditer(rf"[{_FULL_WIDTH}] +\S|\S +[{_FULL_WIDTH}]", text):
        if not re.fullmatch(rf"[{_CJK}{_FULL_WIDTH}] +[{_CJK}{_FULL_WIDTH}]", found.group(0)):
            problems.append(f"space beside full-width punctuation in {found.group(0)!r}")
    return problems


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), case folded, without spaces, dots and dashes."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text).casefold())


@functools.cache
def _synonyms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(normalized variant, normalized preferred terms), longest variant first."""
    pairs: dict[str, set[str]] = {}
    for term in terms():
        preferred = {normalize(p) for p in term.preferred()}
        for variant in (*term.search, *(v for v in term.rejected if not v.startswith("re:"))):
            key = normalize(variant)
            if key and key not in preferred:
                pairs.setdefault(key, set()).update(preferred)
    longest_first = sorted(pairs.items(), key=lambda pair: -len(pair[0]))
    return tuple((key, tuple(sorted(value))) for key, value in longest_first)


def needles(query: str) -> tuple[str, ...]:
    """The normalized query, and the query with each glossary variant it contains replaced
    by the preferred term (热迁移 also searches 实时迁移)."""
    base = normalize(query)
    found = [base]
    for variant, preferred in _synonyms():
        if variant in base:
            found += [base.replace(variant, p) for p in preferred]
    return tuple(dict.fromkeys(n for n in found if n))


def sentences(*parts: str) -> str:
    """Sentences joined as the language writes them: a space after an English full stop,
    nothing after a Chinese one (。, ！, ？ or ；)."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        text = f"{text}{part}" if not text or text[-1] in "。！？；：" else f"{text} {part}"
    return text


def join_list(items, language: str | None = None) -> str:
    """A list in running text: 、 between Chinese items, a comma and space in English."""
    from django.utils.translation import get_language

    chinese = (language or get_language() or "").startswith("zh")
    return ("、" if chinese else ", ").join(str(item) for item in items)

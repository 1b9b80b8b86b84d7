"""The English search words (fixtures/search_words.yaml): British and American spellings
and readers' words for the catalogue's words. Pure apart from reading the file once."""

from __future__ import annotations

import functools
from pathlib import Path

from portal import yaml_files

from . import glossary

SEARCH_WORDS = Path(__file__).resolve().parent.parent / "fixtures" / "search_words.yaml"


def read(path: Path = SEARCH_WORDS) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(normalized word, normalized words it also searches), longest word first."""
    data = yaml_files.safe_load(path.read_text(encoding="utf-8")) or {}
    also: dict[str, list[str]] = {}
    for group in data.get("spellings") or []:
        words = [glossary.normalize(str(w)) for w in group]
        for word in words:
            also.setdefault(word, []).extend(w for w in words if w != word)
    for entry in data.get("words") or []:
        word = glossary.normalize(str(entry["word"]))
        also.setdefault(word, []).extend(glossary.normalize(str(w)) for w in entry["finds"])
    longest_first = sorted(also.items(), key=lambda item: -len(item[0]))
    return tuple((word, tuple(dict.fromkeys(found))) for word, found in longest_first)


@functools.cache
def words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return read()


def needles(query: str, table: tuple[tuple[str, tuple[str, ...]], ...] | None = None):
    """The glossary's needles for the query and for the query with each word it contains
    replaced by the words that word also searches ("license" also searches "licence")."""
    base = glossary.normalize(query)
    variants = [query]
    for word, found in table if table is not None else words():
        if word in base:
            variants += [base.replace(word, other) for other in found]
    return tuple(dict.fromkeys(n for v in variants for n in glossary.needles(v)))

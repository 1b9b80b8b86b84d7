"""JSON decoding with bounds, for every document that comes from outside (request bodies,
form fields, raw tool outputs inside a submission, uploaded files).

Python's own decoder recurses once per nesting level (deep input raises RecursionError) and
accepts NaN and Infinity; here both are a `JSONTooComplex` with a message, found in time
linear in the input.
"""

import json
import re
from typing import Any

MAX_DEPTH = 64


class JSONTooComplex(ValueError):
    """Valid JSON syntax, but beyond what any document we accept can need."""


# Escapes first (so an escaped quote cannot end a string), then whole strings, leave the
# brackets that structure the document. Each pattern is linear: no two ways to match.
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_BRACKETS = re.compile(r"[\[\]{}]+")
_RUNS = re.compile(r"([\[{]*)([\]}]*)")
_PRE_PASSES = 3
_MANY_RUNS = 10_000  # above this, a few C-level passes first keep the Python loop short


def _without_innermost(brackets: str) -> str:
    """One level less everywhere: each "[]" and "{}" goes, but a pair that only forms once
    another is gone ("{[]}") stays for the next pass (the marker keeps them apart)."""
    marked = brackets.replace("[]", "\x00").replace("{}", "\x00")
    return marked.replace("\x00", "")


def nesting_depth_ok(text: str, max_depth: int = MAX_DEPTH) -> bool:
    """Whether the document nests at most `max_depth` deep, without recursion (the decoder's
    own recursion is what deep input exhausts). Mostly C-level string operations: a Python
    loop over each character took a quarter of a second on a 1 MiB document."""
    brackets = "".join(_BRACKETS.findall(_STRING.sub("", _ESCAPE.sub("", text))))
    levels = 0
    # A closing bracket followed by an opening one starts a new run; many runs make the loop
    # below long, so a few passes first take away the innermost level everywhere (one level
    # per pass: pairs that a pass creates are left for the next).
    if sum(brackets.count(pair) for pair in ("][", "]{", "}[", "}{")) > _MANY_RUNS:
        for _ in range(_PRE_PASSES):
            if not brackets:
                return levels <= max_depth
            brackets, levels = _without_innermost(brackets), levels + 1
    depth = levels
    for opening, closing in _RUNS.findall(brackets):
        depth += len(opening)
        if depth > max_depth:
            return False
        depth -= len(closing)
    return True


def _reject_constant(name: str):
    raise JSONTooComplex(f"{name} is not valid JSON")


def loads(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads, or ValueError (JSONTooComplex for what is merely too much)."""
    if not nesting_depth_ok(text, max_depth):
        raise JSONTooComplex(
            f"JSON is nested deeper than {max_depth} levels (or its brackets do not balance)"
        )
    # Integers beyond Python's digit limit (4,300) raise ValueError; shorter huge ones and
    # 1e999 (inf) are refused by name where they are used (validation.finite, checked_number).
    return json.loads(text, parse_constant=_reject_constant)


def value_span(text: str, key: str) -> tuple[int, int] | None:
    """Where the value of a top-level key starts and ends in a JSON object's text, so a
    nested document can be kept exactly as it was sent. None when the key is absent.
    One pass over the text; the value itself is measured by the decoder. A repeated key
    gives its last value, as json.loads keeps."""
    span = None
    depth = 0
    index, size = 0, len(text)
    decoder = json.JSONDecoder()
    while index < size:
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            if depth == 1:
                after = _skip_space(text, end)
                if after < size and text[after] == ":" and json.loads(text[index:end]) == key:
                    start = _skip_space(text, after + 1)
                    _, stop = decoder.raw_decode(text, start)
                    span, end = (start, stop), stop
            index = end
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        index += 1
    return span


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal opening at `start`."""
    index = start + 1
    while True:
        quote = text.index('"', index)
        backslashes = 0
        while text[quote - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return quote + 1
        index = quote + 1


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index

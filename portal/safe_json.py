"""JSON decoding with bounds, for every document that comes from outside (request bodies,
form fields, raw tool outputs inside a submission, uploaded files).

Python's own decoder recurses once per nesting level (deep input raises RecursionError),
turns a 5,000-digit integer into a ValueError about its digit limit and a 400-digit one
into an int that overflows every float conversion later. Here each of these is a
`JSONTooComplex` with a message, found in time linear in the input.
"""

import json
from typing import Any

MAX_DEPTH = 64
# A 64-bit counter has 20 digits; fio's byte counters are the longest real ones.
MAX_INT_DIGITS = 24
# A double has 17 significant digits; leave room for a sign, a point and an exponent.
MAX_FLOAT_CHARS = 40


class JSONTooComplex(ValueError):
    """Valid JSON syntax, but beyond what any document we accept can need."""


def nesting_depth_ok(text: str, max_depth: int = MAX_DEPTH) -> bool:
    """Bracket depth without recursion, so deeply nested input can't exhaust the stack."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif char in "]}":
            depth -= 1
    return True


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JSONTooComplex(f"a number has more than {MAX_INT_DIGITS} digits ({text[:30]}…)")
    return int(text)


def _bounded_float(text: str) -> float:
    if len(text) > MAX_FLOAT_CHARS:
        raise JSONTooComplex(f"a number is longer than {MAX_FLOAT_CHARS} characters")
    return float(text)  # 1e999 becomes inf: callers refuse non-finite values by name


def _reject_constant(name: str):
    raise JSONTooComplex(f"{name} is not valid JSON")


def loads(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads, or ValueError (JSONTooComplex for what is merely too much)."""
    if not nesting_depth_ok(text, max_depth):
        raise JSONTooComplex(f"JSON is nested deeper than {max_depth} levels")
    return json.loads(
        text,
        parse_int=_bounded_int,
        parse_float=_bounded_float,
        parse_constant=_reject_constant,
    )


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

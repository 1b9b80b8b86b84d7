"""What every parser returns, the error it raises, and the checked readers they share."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from portal import safe_json

JsonPath = Sequence[str | int]


@dataclass(frozen=True)
class ParsedResult:
    metric: str  # metric slug, e.g. "read-iops"
    value: float
    unit: str  # exactly the unit of the metric in benchmarks.yaml
    job: str = ""  # "" = the whole run; a fio job name for per-job figures
    stddev: float | None = None
    percentiles: dict[str, float] = field(default_factory=dict)  # in the metric's unit


@dataclass(frozen=True)
class ParsedRun:
    benchmark: str  # benchmark slug from benchmarks.yaml, derived from the workload
    tool: str  # "fio" | "iperf3" | "sysbench" | "stress-ng"
    tool_version: str  # as the tool prints it ("" if absent)
    command_line: str  # the invocation as far as the output records it ("" if absent)
    results: tuple[ParsedResult, ...]
    # What the tool itself records about this one execution (start time, iperf3's cookie,
    # job names): with the results it tells the same measurement from another one, however
    # the output was wrapped. "" when the tool records nothing (sysbench).
    identity: str = ""
    # The parameters the tool records it ran with (fio's rw/bs/iodepth..., sysbench's test,
    # threads, prime limit...), as text. Compared with the benchmark's recommended workload:
    # a run with other parameters is its own variant, never mixed with the recommended one.
    workload: Mapping[str, str] = field(default_factory=dict)


def identity_of(*parts: Any) -> str:
    return " | ".join("" if part is None else str(part) for part in parts)


class ParseError(ValueError):
    """Tool output we cannot turn into a run; says what is wrong and where."""

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based, for text formats
        self.field = field  # JSON path such as "jobs[0].read.iops", for JSON and YAML


def format_path(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def checked_number(
    value: Any, *, what: str, line: int | None = None, field: str | None = None
) -> float:
    """The value as a float, or ParseError unless it is a finite, non-negative number."""
    # bool is an int in Python, but `true` is never a measurement.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError(f"{what} is not a number: {value!r}", line=line, field=field)
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):
        raise ParseError(f"{what} is not a finite number: {value!r}", line=line, field=field)
    if number < 0:
        raise ParseError(f"{what} is negative: {value!r}", line=line, field=field)
    return number


def value_at(document: Any, path: JsonPath, *, tool: str) -> Any:
    """The value at path in a decoded JSON/YAML document, or ParseError naming the path."""
    current = document
    for depth, part in enumerate(path):
        container_ok = (
            isinstance(current, Sequence) and not isinstance(current, str)
            if isinstance(part, int)
            else isinstance(current, Mapping)
        )
        present = container_ok and (
            0 <= part < len(current) if isinstance(part, int) else part in current
        )
        if not present:
            parent = format_path(path[:depth]) or "the top level"
            raise ParseError(
                f"{tool} output has no {format_path(path)!r} (missing {part!r} under {parent})",
                field=format_path(path),
            )
        current = current[part]
    return current


def mapping_at(document: Any, path: JsonPath, *, tool: str) -> Mapping[str, Any]:
    value = value_at(document, path, tool=tool)
    if not isinstance(value, Mapping):
        where = format_path(path)
        raise ParseError(f"{tool} output's {where!r} is not an object", field=where)
    return value


def list_at(document: Any, path: JsonPath, *, tool: str) -> list[Any]:
    value = value_at(document, path, tool=tool)
    if not isinstance(value, list):
        where = format_path(path)
        raise ParseError(f"{tool} output's {where!r} is not a list", field=where)
    return value


def number_at(document: Any, path: JsonPath, *, tool: str) -> float:
    where = format_path(path)
    return checked_number(
        value_at(document, path, tool=tool), what=f"{tool} output's {where!r}", field=where
    )


def decode_json(raw: str | Mapping[str, Any], *, tool: str) -> Mapping[str, Any]:
    """The top-level JSON object of a tool's output (text or already decoded)."""
    if isinstance(raw, Mapping):
        return raw
    if not isinstance(raw, str):
        raise ParseError(f"{tool} output must be JSON text or a JSON object, not {type(raw)}")
    if not raw.strip():
        raise ParseError(f"{tool} output is empty", line=1)
    try:
        document = safe_json.loads(raw)
    except safe_json.JSONTooComplex as error:
        raise ParseError(f"{tool} output refused: {error}") from None
    except ValueError as error:
        lineno = getattr(error, "lineno", None)
        where = f" (line {lineno}, column {error.colno})" if lineno else ""
        raise ParseError(
            f"{tool} output is not valid JSON (cut short?): {getattr(error, 'msg', error)}{where}",
            line=lineno,
        ) from None
    if not isinstance(document, dict):
        raise ParseError(f"{tool} output is JSON but not an object", line=1)
    return document


def text_lines(raw: str | Mapping[str, Any], *, tool: str) -> list[str]:
    if not isinstance(raw, str):
        raise ParseError(f"{tool} output must be text, not {type(raw).__name__}")
    if not raw.strip():
        raise ParseError(f"{tool} output is empty", line=1)
    return raw.splitlines()

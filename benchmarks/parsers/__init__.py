"""Parsers for benchmark tool outputs: `parse(fmt, raw)` → ParsedRun, or ParseError."""

from collections.abc import Callable, Mapping
from typing import Any

from .base import ParsedResult, ParsedRun, ParseError
from .fio import parse_fio_json
from .iperf3 import parse_iperf3_json
from .phoronix import parse_phoronix_composite
from .stress_ng import parse_stress_ng_yaml
from .sysbench import parse_sysbench

__all__ = ["FORMATS", "ParseError", "ParsedResult", "ParsedRun", "parse"]

# The submission formats that carry a tool's raw output (fio's json+ goes under "fio-json").
FORMATS: dict[str, Callable[[str | Mapping[str, Any]], ParsedRun]] = {
    "fio-json": parse_fio_json,
    "iperf3-json": parse_iperf3_json,
    "sysbench": parse_sysbench,
    "stress-ng-yaml": parse_stress_ng_yaml,
    "phoronix-composite": parse_phoronix_composite,
}


def parse(fmt: str, raw: str | Mapping[str, Any]) -> ParsedRun:
    """The run a tool's output describes; ParseError says what is wrong and where."""
    parser = FORMATS.get(fmt)
    if parser is None:
        raise ParseError(
            f"unknown output format {fmt!r}; supported: {', '.join(FORMATS)}", field="format"
        )
    return parser(raw)

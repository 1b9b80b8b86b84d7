"""stress-ng `--metrics --yaml FILE` output → ParsedRun."""

from collections.abc import Mapping
from typing import Any

import yaml

from .base import (
    ParsedResult,
    ParsedRun,
    ParseError,
    identity_of,
    list_at,
    mapping_at,
    number_at,
    text_lines,
)

TOOL = "stress-ng"
SUPPORTED_STRESSORS = ("cpu", "vm", "matrix", "memcpy")
# A real --metrics --yaml file of every stressor stress-ng has stays under 64 KiB; PyYAML
# takes time and memory far out of proportion on large or deeply nested documents.
MAX_YAML_BYTES = 64 * 1024
MAX_DEPTH = 16
MAX_NUMBER_CHARS = 40


class BoundedSafeLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc,name-defined]
    """Safe YAML whose numbers stay short enough to convert (a 5,000-digit integer raised
    Python's digit-limit ValueError, which no YAML error handler catches)."""


def _bounded(constructor):
    def construct(loader, node):
        if len(str(node.value)) > MAX_NUMBER_CHARS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number longer than {MAX_NUMBER_CHARS} characters", node.start_mark
            )
        return constructor(loader, node)

    return construct


BoundedSafeLoader.add_constructor(
    "tag:yaml.org,2002:int", _bounded(yaml.constructor.SafeConstructor.construct_yaml_int)
)
BoundedSafeLoader.add_constructor(
    "tag:yaml.org,2002:float", _bounded(yaml.constructor.SafeConstructor.construct_yaml_float)
)


def bounded_yaml(raw: str):
    """The YAML document, after checking size, nesting and aliases on the event stream
    (linear, no recursion) so that building it cannot recurse or blow up."""
    size = len(raw.encode())
    if size > MAX_YAML_BYTES:
        raise ParseError(
            f"stress-ng YAML is {size} bytes; a real --yaml file is under {MAX_YAML_BYTES}",
            line=1,
        )
    depth = 0
    for event in yaml.parse(raw, Loader=BoundedSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1
            raise ParseError(
                f"stress-ng YAML has an alias (line {line}); it writes none", line=line
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1
                raise ParseError(
                    f"stress-ng YAML is nested deeper than {MAX_DEPTH} levels (line {line})",
                    line=line,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.load(raw, Loader=BoundedSafeLoader)  # noqa: S506 (a SafeLoader)


def parse_stress_ng_yaml(raw: str | Mapping[str, Any]) -> ParsedRun:
    lines = text_lines(raw, tool=TOOL)
    try:
        document = bounded_yaml(raw)
    except yaml.YAMLError as error:
        # PyYAML's own message spans several lines; keep its one-line problem and the line.
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        line = mark.line + 1 if mark else None
        where = f" (line {line})" if line else ""
        raise ParseError(
            f"stress-ng output is not valid YAML: {problem}{where}", line=line
        ) from None
    if not isinstance(document, Mapping) or not {"system-info", "metrics"} & document.keys():
        raise ParseError(
            "this is not stress-ng YAML: it has no 'system-info' or 'metrics' (written by "
            "stress-ng --yaml FILE)",
            line=1,
        )
    # stress-ng closes its YAML with "..."; a file cut short is often still valid YAML.
    last = max(number for number, text in enumerate(lines, start=1) if text.strip())
    if lines[last - 1].strip() != "...":
        raise ParseError(
            f"stress-ng YAML does not end with '...' (cut short?): line {last} is the last",
            line=last,
        )
    if "metrics" not in document:
        raise ParseError(
            "stress-ng YAML has no 'metrics' list: run stress-ng with --metrics", field="metrics"
        )

    results = []
    seen: set[str] = set()
    for index, _ in enumerate(list_at(document, ["metrics"], tool=TOOL)):
        entry = mapping_at(document, ["metrics", index], tool=TOOL)
        stressor = entry.get("stressor")
        if stressor not in SUPPORTED_STRESSORS:
            raise ParseError(
                f"stress-ng stressor {stressor!r} is not a benchmark we define; "
                f"supported: {', '.join(SUPPORTED_STRESSORS)}",
                field=f"metrics[{index}].stressor",
            )
        if stressor in seen:
            raise ParseError(
                f"stress-ng stressor {stressor!r} is listed twice",
                field=f"metrics[{index}].stressor",
            )
        seen.add(stressor)
        rate = number_at(document, ["metrics", index, "bogo-ops-per-second-real-time"], tool=TOOL)
        results.append(ParsedResult(f"{stressor}-bogo-ops-per-s-real", rate, "bogo ops/s"))
    if not results:
        raise ParseError("stress-ng YAML's 'metrics' list is empty", field="metrics")

    system_info = document.get("system-info")
    if not isinstance(system_info, Mapping):
        system_info = {}
    version = system_info.get("stress-ng-version")
    return ParsedRun(
        benchmark="stress-ng",
        tool=TOOL,
        # stress-ng versions have three parts (0.15.06), which YAML keeps as a string.
        tool_version="" if version is None else str(version),
        command_line="",  # the YAML does not record the stressors' instance counts or flags
        results=tuple(results),
        identity=identity_of(system_info.get("epoch-secs"), system_info.get("uptime")),
    )

"""Phoronix Test Suite / OpenBenchmarking.org result files (composite.xml) → structured runs.

A composite.xml holds one or more systems (each <Entry> of a result is one system, named by its
<Identifier>) and one <Result> per test and option set. Each entry carries the average the
suite reports (<Value>) and, in <RawString>, the value of every trial separated by ':'. This
module reads the file into plain data, touching nothing else; mapping a test identifier to one
of the portal's benchmarks (or to a workload variant) is left to the caller.

Untrusted input: the file is parsed with the standard library's expat-based parser after
refusing any DOCTYPE/ENTITY declaration (no entity expansion, no external resources), and its
size is bounded.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .base import ParsedResult, ParsedRun, ParseError, checked_number, identity_of

TOOL = "phoronix-test-suite"
MAX_BYTES = 5_000_000
PROPORTIONS = {"HIB": "higher", "LIB": "lower"}
CLIENT_VERSION = re.compile(r"v?(?P<version>\d+(?:\.\d+)+)")
VERSIONED_IDENTIFIER = re.compile(r"^(?P<name>[\w.+-]+/[\w.+-]+?)(?:-(?P<version>\d+(?:\.\d+)*))?$")


@dataclass(frozen=True)
class PhoronixSystem:
    identifier: str  # the run label the submitter gave (e.g. "Proxmox VE 8.2 VM")
    hardware: str  # PTS's one-line summary: "Processor: ..., Memory: ..., Disk: ..."
    software: str  # "OS: ..., Kernel: ..., ..., System Layer: ..."
    timestamp: str  # as written, "YYYY-MM-DD HH:MM:SS" ("" if absent)
    client_version: str  # the PTS version that ran it ("" if absent)


@dataclass(frozen=True)
class PhoronixEntry:
    system: str  # the PhoronixSystem identifier this value belongs to
    value: float  # the average PTS reports
    samples: tuple[float, ...]  # every trial, from <RawString> (may be empty)


@dataclass(frozen=True)
class PhoronixResult:
    test: str  # e.g. "pts/fio" (without the profile version)
    test_version: str  # e.g. "2.1.0" ("" for unversioned local profiles)
    title: str
    app_version: str
    arguments: str  # the options PTS passed to the test: the workload
    description: str  # PTS's readable form of the options
    scale: str  # the unit, as PTS names it
    better: str  # "higher" | "lower"
    entries: tuple[PhoronixEntry, ...]


@dataclass(frozen=True)
class PhoronixComposite:
    title: str
    description: str
    client: str
    systems: tuple[PhoronixSystem, ...]
    results: tuple[PhoronixResult, ...]


def _text(element: ET.Element | None, tag: str) -> str:
    if element is None:
        return ""
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _number(text: str, *, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ParseError(f"{what} is not a number: {text!r}", field=what) from None
    return checked_number(value, what=what, field=what)


def parse_composite(raw: str | bytes | Mapping[str, Any]) -> PhoronixComposite:
    """The systems and results of a composite.xml; ParseError says what is wrong and where."""
    if isinstance(raw, Mapping) or not isinstance(raw, str | bytes):
        raise ParseError(f"{TOOL} result must be XML text, not {type(raw).__name__}")
    data = raw.encode() if isinstance(raw, str) else raw
    if not data.strip():
        raise ParseError(f"{TOOL} result is empty", line=1)
    if len(data) > MAX_BYTES:
        raise ParseError(f"{TOOL} result is larger than {MAX_BYTES // 1_000_000} MB")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ParseError(f"{TOOL} result may not declare a DOCTYPE or entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        line = error.position[0] if error.position else None
        raise ParseError(f"{TOOL} result is not well-formed XML: {error}", line=line) from None
    if root.tag != "PhoronixTestSuite":
        raise ParseError(
            f"not a {TOOL} result: the root element is <{root.tag}>, not <PhoronixTestSuite>"
        )

    generated = root.find("Generated")
    systems = tuple(
        PhoronixSystem(
            identifier=_text(system, "Identifier"),
            hardware=_text(system, "Hardware"),
            software=_text(system, "Software"),
            timestamp=_text(system, "TimeStamp"),
            client_version=_text(system, "TestClientVersion"),
        )
        for system in root.findall("System")
    )
    known = {s.identifier for s in systems}
    results = []
    for index, result in enumerate(root.findall("Result"), start=1):
        where = f"Result[{index}]"
        identifier = _text(result, "Identifier")
        if not identifier and _text(result, "Arguments").startswith("test install"):
            # PTS 10.x records each profile's install time and size as results without a
            # test identifier ("test install time"): not measurements of the system.
            continue
        match = VERSIONED_IDENTIFIER.match(identifier)
        if not match:
            raise ParseError(
                f"{where} has no test identifier such as 'pts/fio-2.1.0': {identifier!r}",
                field=f"{where}.Identifier",
            )
        proportion = _text(result, "Proportion")
        if proportion not in PROPORTIONS:
            raise ParseError(
                f"{where} ({identifier}) has Proportion {proportion!r}; expected HIB or LIB",
                field=f"{where}.Proportion",
            )
        entries = []
        for number, entry in enumerate(result.findall("Data/Entry"), start=1):
            at = f"{where}.Data.Entry[{number}]"
            system = _text(entry, "Identifier")
            if known and system not in known:
                raise ParseError(
                    f"{at} belongs to {system!r}, which no <System> describes", field=at
                )
            value = _number(_text(entry, "Value"), what=f"{at}.Value")
            raw_string = _text(entry, "RawString")
            samples = tuple(
                _number(part, what=f"{at}.RawString")
                for part in raw_string.split(":")
                if part.strip()
            )
            entries.append(PhoronixEntry(system=system, value=value, samples=samples))
        if not entries:
            raise ParseError(f"{where} ({identifier}) has no data", field=f"{where}.Data")
        results.append(
            PhoronixResult(
                test=match["name"],
                test_version=match["version"] or "",
                title=_text(result, "Title"),
                app_version=_text(result, "AppVersion"),
                arguments=_text(result, "Arguments"),
                description=_text(result, "Description"),
                scale=_text(result, "Scale"),
                better=PROPORTIONS[proportion],
                entries=tuple(entries),
            )
        )
    if not results:
        raise ParseError(f"{TOOL} result has no <Result>")
    return PhoronixComposite(
        title=_text(generated, "Title"),
        description=_text(generated, "Description"),
        client=_text(generated, "TestClient"),
        systems=systems,
        results=tuple(results),
    )


def _stddev(samples: tuple[float, ...]) -> float | None:
    if len(samples) < 2:
        return None
    mean = sum(samples) / len(samples)
    return math.sqrt(sum((s - mean) ** 2 for s in samples) / (len(samples) - 1))


def parsed_runs(composite: PhoronixComposite, system: str, *, benchmark_for, metric_for):
    """One ParsedRun per result for one system of the file, with the trials' sample standard
    deviation. `benchmark_for(result)` and `metric_for(result)` map a PTS result to the
    portal's benchmark slug and (metric slug, unit), or return None to skip the result."""
    client = next((s.client_version for s in composite.systems if s.identifier == system), "")
    version = CLIENT_VERSION.search(client or composite.client)
    runs = []
    for result in composite.results:
        benchmark = benchmark_for(result)
        metric = metric_for(result)
        entry = next((e for e in result.entries if e.system == system), None)
        if benchmark is None or metric is None or entry is None:
            continue
        slug, unit = metric
        runs.append(
            ParsedRun(
                benchmark=benchmark,
                tool=TOOL,
                tool_version=version["version"] if version else "",
                command_line=" ".join(
                    part
                    for part in (
                        f"{result.test}-{result.test_version}"
                        if result.test_version
                        else result.test,
                        result.arguments,
                    )
                    if part
                ),
                results=(
                    ParsedResult(
                        metric=slug, value=entry.value, unit=unit, stddev=_stddev(entry.samples)
                    ),
                ),
            )
        )
    return runs


def slug_of(text: str) -> str:
    """A Django slug of PTS's text ("Throughput Test: PartialTweets" -> "throughput-test-
    partialtweets"), linear in the text."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:80]


def parse_phoronix_composite(raw: str | Mapping[str, Any], system: str = "") -> ParsedRun:
    """One run from a composite.xml: one system (the one named, or the file's only one) and one
    test profile. The benchmark is "pts-<profile>" (pts/simdjson -> pts-simdjson), each option
    set one metric named after PTS's description of it, in PTS's unit, with the trials'
    standard deviation. Each system of a merged file is a run of its own (one platform each)."""
    composite = parse_composite(raw)
    systems = {entry.system for result in composite.results for entry in result.entries}
    listed = ", ".join(sorted(systems))[:200]
    if system and system not in systems:
        raise ParseError(
            f"{TOOL} result has no system {system!r}; it holds: {listed}", field="system"
        )
    if not system and len(systems) != 1:
        raise ParseError(
            f"{TOOL} result holds {len(systems)} systems ({listed}); name the one this run is "
            "with 'system' (one platform per run)",
            field="system",
        )
    tests = {result.test for result in composite.results}
    if len(tests) != 1:
        raise ParseError(
            f"{TOOL} result holds {len(tests)} test profiles ({', '.join(sorted(tests))[:200]}); "
            "submit one result file per test profile",
            field="Result",
        )
    system = system or next(iter(systems))
    (test,) = tests
    first = composite.results[0]
    runs = parsed_runs(
        composite,
        system,
        benchmark_for=lambda result: "pts-" + slug_of(test.split("/", 1)[-1]),
        metric_for=lambda result: (
            slug_of(result.description or result.arguments or result.title),
            result.scale,
        ),
    )
    described = next((s for s in composite.systems if s.identifier == system), None)
    return ParsedRun(
        benchmark=runs[0].benchmark,
        tool=TOOL,
        tool_version=runs[0].tool_version,
        command_line=f"phoronix-test-suite benchmark {test}"
        + (f"-{first.test_version}" if first.test_version else ""),
        results=tuple(result for run in runs for result in run.results),
        identity=identity_of(system, described.timestamp if described else ""),
        workload={"test": test, "test_version": first.test_version},
    )

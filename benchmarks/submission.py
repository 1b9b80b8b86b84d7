"""The checks a submission goes through and what they produce (a PreparedRun): pure
functions over the document and the catalogue rows the Lookups in hand return. The
serializer (benchmarks.serializers) runs them in order; storage is benchmarks.services."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework.exceptions import ValidationError

from comparisons.models import Platform, Release, Source

from .models import Benchmark, Environment, Metric, Run
from .parsers import ParseError, parse
from .parsers.base import ParsedRun
from .parsers.phoronix import parse_phoronix_composite
from .validation import (
    Column,
    Errors,
    clean_measurement,
    clean_text,
    column,
    unstorable,
)

if TYPE_CHECKING:
    from .lookups import Lookups

TOOL_FORMATS = {"fio-json", "iperf3-json", "sysbench", "stress-ng-yaml", "phoronix-composite"}
FORMATS = TOOL_FORMATS | {"normalized"}
TOP_LEVEL_FIELDS = {
    "format",
    "platform",
    "release",
    "environment",
    "vm",
    "raw",
    "benchmark",
    "results",
    "notes",
    "source",
    "approximate",
    "tool_version",
    "command_line",
    "workload",
    "system",
}
WORKLOAD_MAX_KEYS = 20
ENVIRONMENT_FIELDS = (
    "name",
    "cpu_model",
    "sockets",
    "cores",
    "threads",
    "memory_gb",
    "storage",
    "nic",
    "nic_speed_gbps",
    "bios_notes",
)
# The submission's `vm` object → the Run columns it is stored in.
VM_FIELDS = {
    "vcpus": "vm_vcpus",
    "memory_gb": "vm_memory_gb",
    "guest_os": "guest_os",
    "guest_kernel": "guest_kernel",
    "disk_type": "vm_disk_type",
    "network_type": "vm_network_type",
    "paravirtual_drivers": "paravirtual_drivers",
}
NOTES_MAX = 5000
SLUG_MAX = 80  # longer than any platform, release, benchmark or source key


def environment_columns() -> dict[str, Column]:
    return {name: column(Environment, name) for name in ENVIRONMENT_FIELDS}


def vm_columns() -> dict[str, Column]:
    return {key: column(Run, name) for key, name in VM_FIELDS.items()}


class SubmissionInvalid(ValidationError):
    """Every problem found, per field (the API's error shape); 413 when the tool's output is
    over the size limit."""

    def __init__(self, errors: dict[str, list[str]], status: int = 400):
        self.errors = errors
        self.status = self.status_code = status
        super().__init__(errors)

    def __str__(self) -> str:
        name, messages = next(iter(self.errors.items()))
        return f"{name}: {messages[0]}"


@dataclass
class ResultRow:
    metric: Metric
    value: float
    job: str = ""
    stddev: float | None = None
    percentiles: dict[str, float] = field(default_factory=dict)


@dataclass
class PreparedRun:
    benchmark: Benchmark
    platform: Platform
    release: Release
    environment: dict[str, Any]
    vm: dict[str, Any]
    results: list[ResultRow]
    raw_format: str
    raw_payload: str
    content_hash: str
    measurement_hash: str
    workload: dict[str, str] = field(default_factory=dict)
    variant: str = ""
    tool_version: str = ""
    command_line: str = ""
    notes: str = ""
    source: Source | None = None
    approximate: bool = False
    host: str = ""  # the hardware fingerprint of `environment` (set by the serializer)


def content_hash(data: dict[str, Any]) -> str:
    """The request as sent (what an Idempotency-Key promises not to change)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode(errors="surrogatepass")).hexdigest()


def measurement_hash(
    benchmark: str,
    rows: list[tuple[str, str, float, float | None, dict[str, float]]],
    identity: str,
) -> str:
    """The measurement, whatever wraps it: the results (metric, job, value, stddev,
    percentiles) and what the tool records about its execution. Notes, file-or-JSON and the
    platform claimed are not part of it, so a replayed output is recognized as a copy."""
    canonical = json.dumps(
        {"benchmark": benchmark, "results": sorted(rows), "identity": identity},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def normalized_identity(
    *, platform: str, release: str, host: str, vm: dict[str, Any], source: str, notes: str
) -> str:
    """Typed-in figures carry no trace of the execution: they are one measurement per
    platform, host, VM shape and source (a study reports the same figure for two platforms).
    A publication's figures are told apart by where in it they stand (the notes give the
    locator: two runs of one raw log can print the same numbers)."""
    locator = notes if source else ""
    return json.dumps([platform, release, host, sorted(vm.items()), source, locator], default=str)


def clean_slug(data: dict[str, Any], name: str, errors: Errors, required: str) -> str:
    """A lookup key, checked before it reaches a query (a NUL byte made PostgreSQL fail)."""
    value = data.get(name)
    if value is None:
        errors.add(name, required)
        return ""
    before = len(errors)
    slug = clean_text(value, field=name, errors=errors, max_length=SLUG_MAX) or ""
    if not slug and len(errors) == before:  # "" or only spaces
        errors.add(name, required)
    return slug


def platform_release(
    data: dict[str, Any], lookups: Lookups, errors: Errors
) -> tuple[Platform | None, Release | None]:
    slug = clean_slug(data, "platform", errors, "Required: a platform slug such as 'hyper-v'.")
    if not slug:
        return None, None
    platform, releases = lookups.platform(slug)
    if platform is None:
        known = ", ".join(lookups.platform_slugs())
        errors.add("platform", f"Unknown platform {slug!r}; known: {known}.")
        return None, None
    version = data.get("release")
    if version is None and platform.is_baseline and len(releases) == 1:
        return platform, next(iter(releases.values()))
    if not isinstance(version, str) or version not in releases:
        shown = repr(version)[:60]
        errors.add(
            "release", f"Unknown release {shown} of {platform.slug}; known: {', '.join(releases)}."
        )
        return platform, None
    return platform, releases[version]


def optional_text(data: dict[str, Any], name: str, errors: Errors, max_length: int | None) -> str:
    value = data.get(name)
    if value is None:
        return ""
    return clean_text(value, field=name, errors=errors, max_length=max_length) or ""


def clean_workload(value: Any, errors: Errors) -> dict[str, str]:
    """Typed-in figures may say what they ran with, in the benchmark's parameter names."""
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > WORKLOAD_MAX_KEYS:
        errors.add("workload", f"Expected an object of at most {WORKLOAD_MAX_KEYS} parameters.")
        return {}
    clean = {}
    for key, setting in value.items():
        name = clean_text(key, field="workload", errors=errors, max_length=40)
        if isinstance(setting, bool) or not isinstance(setting, str | int | float):
            errors.add(f"workload.{name}", "Expected text or a number.")
            continue
        text = clean_text(str(setting), field=f"workload.{name}", errors=errors, max_length=60)
        if name and text is not None:
            clean[name] = text
    return clean


def system_name(data: dict[str, Any], fmt: str, errors: Errors) -> str:
    """The <System> of a Phoronix result file this run is; only that format has systems."""
    if data.get("system") is None:
        return ""
    if fmt != "phoronix-composite":
        errors.add("system", "Only for format 'phoronix-composite' (a result file's <System>).")
        return ""
    return clean_text(data["system"], field="system", errors=errors, max_length=120) or ""


def parsed_text(value: str, where: str, errors: Errors, max_length: int | None) -> str:
    """Text the tool's output carries (its version, options): stored, so checked the same way."""
    return clean_text(value, field=where, errors=errors, max_length=max_length) or ""


def raw_text(raw: Any, fmt: str, errors: Errors, *, from_file: bool = False) -> str:
    """The tool's output exactly as sent (a nested JSON document arrives as its own text from
    the JSON parser, an uploaded file as its decoded text); refused when a database text
    column could not hold it. The one check of its size (JSON or file)."""
    if raw is None or raw == "":
        errors.add("raw", f"Required for format {fmt!r}: the tool's output.")
        return ""
    if isinstance(raw, dict | list):
        if fmt not in {"fio-json", "iperf3-json"}:
            errors.add("raw", f"Format {fmt!r} is text; send it as a string.")
            return ""
        text = json.dumps(raw)  # only callers other than the API (imports) get here
    elif isinstance(raw, str):
        text = raw
    else:
        errors.add("raw", "Expected the tool's output as text or JSON.")
        return ""
    size = len(text.encode(errors="surrogatepass"))
    if size > settings.BENCHMARK_RAW_MAX_BYTES:
        field, what = ("file", "File") if from_file else ("raw", "Raw output")
        limit = settings.BENCHMARK_RAW_MAX_BYTES
        raise SubmissionInvalid({field: [f"{what} is over the {limit} byte limit."]}, status=413)
    problem = unstorable(text)
    if problem:
        errors.add("raw", f"The tool's output {problem}; no tool writes that.")
        return ""
    return text


def tool_results(
    fmt: str, raw_text: str, lookups: Lookups, errors: Errors, system: str = ""
) -> tuple[Benchmark | None, list[ResultRow], ParsedRun | None]:
    try:
        # A Phoronix result file may merge several systems: the submission names its own.
        parsed = parse_phoronix_composite(raw_text, system) if system else parse(fmt, raw_text)
    except ParseError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        where += f" (at {exc.field})" if exc.field else ""
        errors.add("raw", f"{exc.message}{where}")
        return None, [], None
    items = [(r.metric, r.value, r.unit, r.job, r.stddev, r.percentiles) for r in parsed.results]
    benchmark, results = _match_results(lookups, parsed.benchmark, items, errors, "raw")
    return benchmark, results, parsed


def normalized_results(
    data: dict[str, Any], errors: Errors, lookups: Lookups
) -> tuple[Benchmark | None, list[ResultRow]]:
    rows = data.get("results")
    if not isinstance(rows, list) or not rows:
        errors.add("results", "Required: a non-empty list of results.")
        return None, []
    if len(rows) > settings.BENCHMARK_MAX_RESULTS:
        errors.add("results", f"At most {settings.BENCHMARK_MAX_RESULTS} results per run.")
        return None, []
    items = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.add(f"results.{index}", "Expected an object.")
            continue
        items.append(
            (
                row.get("metric"),
                row.get("value"),
                row.get("unit"),
                row.get("job", ""),
                row.get("stddev"),
                row.get("percentiles") or {},
            )
        )
    benchmark_slug = clean_slug(data, "benchmark", errors, "Required for format 'normalized'.")
    if not benchmark_slug:
        return None, []
    return _match_results(lookups, benchmark_slug, items, errors, "results")


def _match_results(
    lookups: Lookups,
    benchmark_slug: str,
    items: list[tuple[Any, ...]],
    errors: Errors,
    where: str,
) -> tuple[Benchmark | None, list[ResultRow]]:
    benchmark, metrics = lookups.benchmark(benchmark_slug)
    if benchmark is None:
        name = "benchmark" if where == "results" else where
        known = ", ".join(lookups.benchmark_slugs())
        errors.add(name, f"Unknown benchmark {benchmark_slug!r}; known: {known}.")
        return None, []
    if len(items) > settings.BENCHMARK_MAX_RESULTS:
        errors.add(
            where, f"{len(items)} results; at most {settings.BENCHMARK_MAX_RESULTS} per run."
        )
        return benchmark, []
    rows: list[ResultRow] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        row = _result_row(metrics, benchmark, index, item, errors=errors, where=where)
        if row is None:
            continue
        if (row.metric.slug, row.job) in seen:
            errors.add(_result_field(where, index, row.metric.slug), "Metric appears twice.")
            continue
        seen.add((row.metric.slug, row.job))
        rows.append(row)
    if not rows and not errors:
        errors.add(where, "No results to store.")
    return benchmark, rows


def _result_field(where: str, index: int, slug: Any) -> str:
    return f"{where}.{index}" if where == "results" else f"{where} result {str(slug)[:60]!r}"


def _result_row(
    metrics: dict[str, Metric],
    benchmark: Benchmark,
    index: int,
    item: tuple[Any, ...],
    *,
    errors: Errors,
    where: str,
) -> ResultRow | None:
    slug, value, unit, job, stddev, percentiles = item
    name = _result_field(where, index, slug)
    metric = metrics.get(slug) if isinstance(slug, str) else None
    if metric is None:
        shown = repr(slug)[:60]
        errors.add(
            name, f"Unknown metric {shown} for {benchmark.slug}; known: {', '.join(metrics)}."
        )
        return None
    if unit != metric.unit:
        errors.add(
            name,
            f"Unit {repr(unit)[:30]} does not match metric {slug!r}, which is in {metric.unit!r}.",
        )
        return None
    before = len(errors)
    job = clean_text(job, field=f"{name}.job", errors=errors, max_length=120)
    checked = clean_measurement(
        value, field=name, errors=errors, what="Value", ceiling=metric.ceiling
    )
    spread = None
    if stddev is not None:
        spread = clean_measurement(
            stddev, field=f"{name}.stddev", errors=errors, what="stddev", ceiling=metric.ceiling
        )
    clean_percentiles = _percentiles(percentiles, f"{name}.percentiles", errors, metric.ceiling)
    if len(errors) > before or job is None or checked is None:
        return None
    return ResultRow(metric, checked, job, spread, clean_percentiles)


def _percentiles(value: Any, name: str, errors: Errors, ceiling: float | None) -> dict[str, float]:
    if not isinstance(value, dict):
        errors.add(name, "Expected an object of percentile name → value.")
        return {}
    if len(value) > 20:
        errors.add(name, "At most 20 percentiles.")
        return {}
    clean = {}
    for key, number in value.items():
        label = clean_text(key, field=name, errors=errors, max_length=20)
        checked = clean_measurement(
            number, field=name, errors=errors, what=f"Percentile {str(key)[:20]!r}", ceiling=ceiling
        )
        if label and checked is not None:
            clean[label] = checked
    return clean

"""Writes for benchmarks: submit one run (atomic, idempotent) and load the benchmark list."""

from __future__ import annotations

import bisect
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from comparisons.models import CatalogVersion, Platform, Release, Source

from .bulk_writes import insert_results, insert_runs
from .models import Benchmark, Environment, Metric, Result, Run, hardware_fingerprint
from .parsers import ParseError, parse
from .screening import baselines_from, host_baselines, host_histories, screen

TOOL_FORMATS = {"fio-json", "iperf3-json", "sysbench", "stress-ng-yaml"}
ENVIRONMENT_FIELDS = {
    "name": str,
    "cpu_model": str,
    "sockets": int,
    "cores": int,
    "threads": int,
    "memory_gb": float,
    "storage": str,
    "nic": str,
    "nic_speed_gbps": float,
    "bios_notes": str,
}
VM_FIELDS = {
    "vcpus": int,
    "memory_gb": float,
    "guest_os": str,
    "guest_kernel": str,
    "disk_type": str,
    "network_type": str,
    "paravirtual_drivers": str,
}


class SubmissionInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]], status: int = 400):
        self.errors = errors
        self.status = status
        field, messages = next(iter(errors.items()))
        super().__init__(f"{field}: {messages[0]}")


class IdempotencyConflict(Exception):
    pass


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
    tool_version: str = ""
    command_line: str = ""
    notes: str = ""
    source: Source | None = None
    approximate: bool = False


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _typed_fields(data: Any, spec: dict[str, type], where: str, errors: dict) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        errors.setdefault(where, []).append("Expected a JSON object.")
        return {}
    clean: dict[str, Any] = {}
    for key, value in data.items():
        kind = spec.get(key)
        if kind is None:
            errors.setdefault(f"{where}.{key}", []).append(
                f"Unknown field; expected one of {', '.join(sorted(spec))}."
            )
        elif value is None:
            continue
        elif kind is str:
            if not isinstance(value, str) or len(value) > 200:
                errors.setdefault(f"{where}.{key}", []).append("Expected text (200 chars max).")
            else:
                clean[key] = value.strip()
        else:
            number = value
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if ok and kind is int and not float(value).is_integer():
                ok = False
            if not ok or not math.isfinite(number) or number <= 0:
                errors.setdefault(f"{where}.{key}", []).append(
                    f"Expected a positive {'whole ' if kind is int else ''}number."
                )
            else:
                clean[key] = kind(number)
    return clean


def _raw_text(raw: Any, fmt: str, errors: dict) -> str:
    if raw is None or raw == "":
        errors.setdefault("raw", []).append(f"Required for format {fmt!r}: the tool's output.")
        return ""
    if isinstance(raw, dict | list):
        if fmt not in {"fio-json", "iperf3-json"}:
            errors.setdefault("raw", []).append(f"Format {fmt!r} is text; send it as a string.")
            return ""
        text = json.dumps(raw)
    elif isinstance(raw, str):
        text = raw
    else:
        errors.setdefault("raw", []).append("Expected the tool's output as text or JSON.")
        return ""
    if len(text.encode()) > settings.BENCHMARK_RAW_MAX_BYTES:
        raise SubmissionInvalid(
            {"raw": [f"Raw output is over the {settings.BENCHMARK_RAW_MAX_BYTES} byte limit."]},
            status=413,
        )
    return text


class Lookups:
    """Catalogue rows a submission refers to, memoized so a bulk import asks only once."""

    def __init__(self) -> None:
        self._platforms: dict[str, tuple[Platform | None, dict[str, Release]]] = {}
        self._benchmarks: dict[str, tuple[Benchmark | None, dict[str, Metric]]] = {}
        self._sources: dict[str, Source | None] = {}

    # One query each: the releases (metrics) with their platform (benchmark) joined in; the
    # parent alone is asked for only when it has no children.
    def platform(self, slug: str) -> tuple[Platform | None, dict[str, Release]]:
        if slug not in self._platforms:
            releases = list(Release.objects.select_related("platform").filter(platform__slug=slug))
            platform = (
                releases[0].platform if releases else Platform.objects.filter(slug=slug).first()
            )
            self._platforms[slug] = (platform, {r.version: r for r in releases})
        return self._platforms[slug]

    def benchmark(self, slug: str) -> tuple[Benchmark | None, dict[str, Metric]]:
        if slug not in self._benchmarks:
            metrics = list(Metric.objects.select_related("benchmark").filter(benchmark__slug=slug))
            benchmark = (
                metrics[0].benchmark if metrics else Benchmark.objects.filter(slug=slug).first()
            )
            self._benchmarks[slug] = (benchmark, {m.slug: m for m in metrics})
        return self._benchmarks[slug]

    def source(self, key: str) -> Source | None:
        if key not in self._sources:
            self._sources[key] = Source.objects.filter(key=key).first()
        return self._sources[key]


def prepare_run(data: Any, lookups: Lookups | None = None) -> PreparedRun:
    """Validate and parse a submission completely, touching nothing in the database."""
    lookups = lookups or Lookups()
    if not isinstance(data, dict):
        raise SubmissionInvalid({"non_field_errors": ["Expected a JSON object."]})
    errors: dict[str, list[str]] = {}
    allowed = {"format", "platform", "release", "environment", "vm", "raw", "benchmark"}
    allowed |= {"results", "notes", "source", "approximate", "tool_version", "command_line"}
    for key in data:
        if key not in allowed:
            errors.setdefault(key, []).append("Unknown field.")

    fmt = data.get("format")
    if not isinstance(fmt, str):
        fmt = ""
    if fmt not in TOOL_FORMATS | {"normalized"}:
        errors.setdefault("format", []).append(
            f"Expected one of {', '.join(sorted(TOOL_FORMATS | {'normalized'}))}."
        )

    platform = release = None
    platform_slug = data.get("platform")
    if not isinstance(platform_slug, str) or not platform_slug:
        errors.setdefault("platform", []).append("Required: a platform slug such as 'hyper-v'.")
    else:
        platform, releases = lookups.platform(platform_slug)
        if platform is None:
            known = ", ".join(Platform.objects.values_list("slug", flat=True))
            errors.setdefault("platform", []).append(
                f"Unknown platform {platform_slug!r}; known: {known}."
            )
    if platform is not None:
        version = data.get("release")
        if version is None and platform.is_baseline and len(releases) == 1:
            release = next(iter(releases.values()))
        elif not isinstance(version, str) or version not in releases:
            errors.setdefault("release", []).append(
                f"Unknown release {version!r} of {platform.slug}; known: {', '.join(releases)}."
            )
        else:
            release = releases[version]

    environment = _typed_fields(data.get("environment"), ENVIRONMENT_FIELDS, "environment", errors)
    if not environment.get("cpu_model"):
        errors.setdefault("environment.cpu_model", []).append(
            "Required: the host CPU model (e.g. from lscpu)."
        )
    vm = _typed_fields(data.get("vm"), VM_FIELDS, "vm", errors)
    notes = data.get("notes") or ""
    if not isinstance(notes, str) or len(notes) > 5000:
        errors.setdefault("notes", []).append("Expected text (5000 chars max).")
        notes = ""

    source = None
    if data.get("source"):
        source = lookups.source(str(data["source"]))
        if source is None:
            errors.setdefault("source", []).append(f"Unknown source key {data['source']!r}.")

    raw_text = ""
    results: list[ResultRow] = []
    benchmark = None
    tool_version = str(data.get("tool_version") or "")[:80]
    command_line = str(data.get("command_line") or "")[:2000]
    if fmt in TOOL_FORMATS:
        raw_text = _raw_text(data.get("raw"), fmt, errors)
        if raw_text:
            try:
                parsed = parse(fmt, raw_text)
            except ParseError as exc:
                where = f" (line {exc.line})" if exc.line else ""
                where += f" (at {exc.field})" if exc.field else ""
                errors.setdefault("raw", []).append(f"{exc.message}{where}")
            else:
                benchmark, results = _match_results(
                    lookups,
                    parsed.benchmark,
                    [
                        (r.metric, r.value, r.unit, r.job, r.stddev, r.percentiles)
                        for r in parsed.results
                    ],
                    errors,
                    "raw",
                )
                tool_version = tool_version or parsed.tool_version
                command_line = command_line or parsed.command_line
    elif fmt == "normalized":
        benchmark, results = _normalized_results(data, errors, lookups)
        raw_text = json.dumps(
            {"benchmark": data.get("benchmark"), "results": data.get("results")},
            sort_keys=True,
        )

    if errors:
        raise SubmissionInvalid(errors)
    assert benchmark is not None
    assert platform is not None
    assert release is not None
    return PreparedRun(
        benchmark=benchmark,
        platform=platform,
        release=release,
        environment=environment,
        vm=vm,
        results=results,
        raw_format=fmt,
        raw_payload=raw_text,
        content_hash=content_hash(data),
        tool_version=tool_version,
        command_line=command_line,
        notes=notes,
        source=source,
        approximate=bool(data.get("approximate", False)),
    )


def _normalized_results(
    data: dict, errors: dict, lookups: Lookups
) -> tuple[Benchmark | None, list[ResultRow]]:
    rows = data.get("results")
    if not isinstance(rows, list) or not rows:
        errors.setdefault("results", []).append("Required: a non-empty list of results.")
        return None, []
    if len(rows) > 1000:
        errors.setdefault("results", []).append("At most 1000 results per run.")
        return None, []
    items = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.setdefault(f"results.{index}", []).append("Expected an object.")
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
    benchmark_slug = data.get("benchmark")
    if not isinstance(benchmark_slug, str) or not benchmark_slug:
        errors.setdefault("benchmark", []).append("Required for format 'normalized'.")
        return None, []
    return _match_results(lookups, benchmark_slug, items, errors, "results")


def _match_results(
    lookups: Lookups, benchmark_slug: str, items: list[tuple], errors: dict, where: str
) -> tuple[Benchmark | None, list[ResultRow]]:
    benchmark, metrics = lookups.benchmark(benchmark_slug)
    if benchmark is None:
        field = "benchmark" if where == "results" else where
        known = ", ".join(Benchmark.objects.values_list("slug", flat=True))
        errors.setdefault(field, []).append(
            f"Unknown benchmark {benchmark_slug!r}; known: {known}."
        )
        return None, []
    rows: list[ResultRow] = []
    seen: set[tuple[str, str]] = set()
    for index, (slug, value, unit, job, stddev, percentiles) in enumerate(items):
        field = f"{where}.{index}" if where == "results" else f"{where} result {slug!r}"
        metric = metrics.get(slug) if isinstance(slug, str) else None
        if metric is None:
            errors.setdefault(field, []).append(
                f"Unknown metric {slug!r} for {benchmark.slug}; known: {', '.join(metrics)}."
            )
            continue
        if unit != metric.unit:
            errors.setdefault(field, []).append(
                f"Unit {unit!r} does not match metric {slug!r}, which is in {metric.unit!r}."
            )
            continue
        number_ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not number_ok or not math.isfinite(value) or value < 0:
            errors.setdefault(field, []).append(
                f"Value must be a finite, non-negative number; got {value!r}."
            )
            continue
        if stddev is not None and (
            not isinstance(stddev, int | float) or not math.isfinite(stddev) or stddev < 0
        ):
            errors.setdefault(field, []).append("stddev must be a finite, non-negative number.")
            continue
        if not isinstance(job, str) or len(job) > 120:
            errors.setdefault(field, []).append("job must be text (120 chars max).")
            continue
        if (slug, job) in seen:
            errors.setdefault(field, []).append(f"Metric {slug!r} appears twice.")
            continue
        seen.add((slug, job))
        clean_percentiles = {}
        if isinstance(percentiles, dict):
            for name, p_value in percentiles.items():
                if isinstance(p_value, int | float) and math.isfinite(p_value) and p_value >= 0:
                    clean_percentiles[str(name)[:20]] = float(p_value)
        rows.append(
            ResultRow(
                metric,
                float(value),
                job,
                float(stddev) if stddev is not None else None,
                clean_percentiles,
            )
        )
    if not rows and not errors:
        errors.setdefault(where, []).append("No results to store.")
    return benchmark, rows


def submit_run(*, user, data: Any, idempotency_key: str = "") -> tuple[Run, bool]:
    """Store a submission whole or not at all. Returns (run, created)."""
    prepared = prepare_run(data)
    if idempotency_key and user is not None:
        earlier = Run.objects.filter(submitter=user, idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.content_hash != prepared.content_hash:
                raise IdempotencyConflict(
                    "This Idempotency-Key was already used with a different body."
                )
            return earlier, False
    try:
        with transaction.atomic():
            return _store(prepared, user=user, idempotency_key=idempotency_key), True
    except IntegrityError:
        # The content is stored already (sent before, or by a concurrent identical post):
        # the unique content hash refused it, so answer with that run. Letting the
        # constraint decide spares every new submission a lookup.
        existing = Run.objects.filter(content_hash=prepared.content_hash).first()
        if existing is None:
            raise
        return existing, False


def _new_run(
    prepared: PreparedRun, environment: Environment, baselines: dict, *, user, key: str
) -> Run:
    """An unsaved Run for a prepared submission, screened against the same host's runs."""
    reason = screen(prepared, baselines)
    vm = prepared.vm
    return Run(
        benchmark=prepared.benchmark,
        platform=prepared.platform,
        release=prepared.release,
        environment=environment,
        guest_os=vm.get("guest_os", ""),
        guest_kernel=vm.get("guest_kernel", ""),
        vm_vcpus=vm.get("vcpus"),
        vm_memory_gb=vm.get("memory_gb"),
        vm_disk_type=vm.get("disk_type", ""),
        vm_network_type=vm.get("network_type", ""),
        paravirtual_drivers=vm.get("paravirtual_drivers", ""),
        tool_version=prepared.tool_version,
        command_line=prepared.command_line,
        submitter=user,
        source=prepared.source,
        approximate=prepared.approximate,
        raw_format=prepared.raw_format,
        raw_payload=prepared.raw_payload,
        content_hash=prepared.content_hash,
        idempotency_key=key if user is not None else "",
        status=Run.Status.FLAGGED if reason else Run.Status.ACCEPTED,
        status_reason=reason,
        notes=prepared.notes,
    )


def _new_results(run: Run, prepared: PreparedRun) -> list[Result]:
    return [
        Result(
            run=run,
            metric=row.metric,
            job=row.job,
            value=row.value,
            stddev=row.stddev,
            percentiles=row.percentiles,
        )
        for row in prepared.results
    ]


def _store(prepared: PreparedRun, *, user, idempotency_key: str) -> Run:
    fingerprint = hardware_fingerprint(prepared.environment)
    environment = _environments_for({fingerprint: prepared.environment})[fingerprint]
    baselines = host_baselines(environment, prepared.benchmark)
    run = _new_run(prepared, environment, baselines, user=user, key=idempotency_key)
    run.save()
    results = Result.objects.bulk_create(_new_results(run, prepared))
    CatalogVersion.bump(results=True)  # pages showing performance must revalidate
    # The answer shows the run as stored; with its results at hand (in insertion order, as
    # the API lists them) it needs no second read.
    run._prefetched_objects_cache = {"results": results}
    return run


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    results: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)


def import_submissions(items, *, user=None, batch_size: int = 2000, progress=None) -> ImportReport:
    """Validate and store many submissions with bulk inserts, one transaction per batch.

    A batch is stored whole or not at all; content hashes make a re-run store each run
    exactly once, so an import killed half-way can simply be started again.
    """
    report = ImportReport()
    lookups = Lookups()
    batch: list[PreparedRun] = []
    for index, (where, data) in enumerate(items, start=1):
        try:
            batch.append(prepare_run(data, lookups))
        except SubmissionInvalid as exc:
            report.rejected.append((where, str(exc)))
        if len(batch) >= batch_size:
            _store_batch(batch, user, report)
            batch = []
        if progress:
            progress(index)
    if batch:
        _store_batch(batch, user, report)
    return report


def _store_batch(batch: list[PreparedRun], user, report: ImportReport) -> None:
    stored = set(
        Run.objects.filter(content_hash__in=[p.content_hash for p in batch]).values_list(
            "content_hash", flat=True
        )
    )
    fresh: list[PreparedRun] = []
    for prepared in batch:
        if prepared.content_hash in stored:
            report.duplicates += 1
        else:
            stored.add(prepared.content_hash)
            fresh.append(prepared)
    if not fresh:
        return
    with transaction.atomic():
        hosts = [hardware_fingerprint(p.environment) for p in fresh]
        environments = _environments_for(
            {h: p.environment for h, p in zip(hosts, fresh, strict=True)}
        )
        hosts_per_benchmark: dict[Benchmark, set[int]] = {}
        for prepared, host in zip(fresh, hosts, strict=True):
            hosts_per_benchmark.setdefault(prepared.benchmark, set()).add(environments[host].pk)
        histories = {  # benchmark → host → metric → values
            benchmark.pk: host_histories(ids, benchmark)
            for benchmark, ids in hosts_per_benchmark.items()
        }
        runs = []
        for prepared, host in zip(fresh, hosts, strict=True):
            environment = environments[host]
            history = histories[prepared.benchmark.pk][environment.pk]
            run = _new_run(prepared, environment, baselines_from(history), user=user, key="")
            runs.append(run)
            if run.status == Run.Status.ACCEPTED:
                # Later runs in the same batch are screened against this one too.
                for row in prepared.results:
                    if not row.job:
                        bisect.insort(history.setdefault(row.metric.pk, []), row.value)
        insert_runs(runs)
        results = [
            (run.pk, row.metric.pk, row.job, row.value, row.stddev, row.percentiles)
            for run, prepared in zip(runs, fresh, strict=True)
            for row in prepared.results
        ]
        insert_results(results)
        CatalogVersion.bump(results=True)
    report.imported += len(fresh)
    report.results += len(results)


def _environments_for(facts_by_fingerprint: dict[str, dict]) -> dict[str, Environment]:
    """The hosts of a submission or batch, created where new: one query when all are known,
    three else. (The facts hold only ENVIRONMENT_FIELDS: validation refuses any other.)"""
    found = {
        e.fingerprint: e for e in Environment.objects.filter(fingerprint__in=facts_by_fingerprint)
    }
    missing = [fp for fp in facts_by_fingerprint if fp not in found]
    if missing:
        Environment.objects.bulk_create(
            [Environment(fingerprint=fp, **facts_by_fingerprint[fp]) for fp in missing],
            ignore_conflicts=True,  # a concurrent writer may have created some meanwhile
        )
        found |= {e.fingerprint: e for e in Environment.objects.filter(fingerprint__in=missing)}
    return found


CHINESE_FILE = "benchmarks_zh.yaml"


def _chinese_names(paths) -> dict:
    """The Chinese names of benchmarks (by slug) and metrics (under "metrics", by metric
    slug) from benchmarks_zh.yaml beside the benchmark files, when there is one."""
    names: dict = {"metrics": {}}
    for folder in dict.fromkeys(path.parent for path in paths):
        found = folder / CHINESE_FILE
        if found.exists():
            data = yaml.safe_load(found.read_text(encoding="utf-8")) or {}
            names["metrics"] |= data.pop("metrics", None) or {}
            names |= data
    return names


@transaction.atomic
def load_benchmarks(*paths: Path) -> int:
    """Create or update benchmarks and their metrics from benchmark YAML files (English as
    the source language; the Chinese from benchmarks_zh.yaml beside them)."""
    entries = [e for path in paths for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    chinese = _chinese_names(paths)
    with translation.override("en"):  # the untranslated attribute names mean English here
        _load_entries(entries, chinese)
    return len(entries)


def _load_entries(entries: list[dict], chinese: dict) -> None:
    for position, entry in enumerate(entries, start=1):
        zh = chinese.get(entry["slug"]) or {}
        benchmark, _ = Benchmark.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "name_en": entry["name"],
                "name_zh_hans": zh.get("name_zh") or "",
                "tool": entry["tool"],
                "description": entry.get("description", ""),
                "description_en": entry.get("description", ""),
                "description_zh_hans": zh.get("description_zh") or "",
                "link": entry.get("link", ""),
                "command": entry.get("command", ""),
                "position": position,
            },
        )
        for m_position, metric in enumerate(entry.get("metrics") or [], start=1):
            Metric.objects.update_or_create(
                benchmark=benchmark,
                slug=metric["slug"],
                defaults={
                    "name": metric["name"],
                    "name_en": metric["name"],
                    "name_zh_hans": chinese["metrics"].get(metric["slug"]) or "",
                    "unit": metric["unit"],
                    "better": metric["better"],
                    "position": m_position,
                },
            )

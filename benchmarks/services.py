"""Writes for benchmarks: store one prepared run (atomic, idempotent), store a batch of
them, and load the benchmark list. Validation is done before (RunSubmissionSerializer)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from comparisons.models import CatalogVersion

from .baselines import global_baselines, host_baselines, host_histories
from .bulk_writes import insert_results, insert_runs
from .models import Benchmark, Environment, Metric, Result, Run
from .screening import baselines_from, needs_global, screen
from .submission import PreparedRun
from .trust import is_trusted

__all__ = ["DuplicateMeasurement", "IdempotencyConflict", "run_submit", "store_batch"]


class IdempotencyConflict(Exception):
    pass


class DuplicateMeasurement(Exception):
    """The same measurement is stored already, claimed for another platform or release."""

    def __init__(self, existing: Run):
        self.existing = existing
        super().__init__(
            f"This measurement is stored already as run {existing.pk} "
            f"({existing.platform.slug} {existing.release.version}); the same output cannot be "
            "evidence for another platform or release."
        )


def run_submit(*, user, prepared: PreparedRun, idempotency_key: str = "") -> tuple[Run, bool]:
    """Store a validated submission whole or not at all. Returns (run, created).

    Repeats are judged by the measurement: the same results from the same execution answer
    the stored run, or DuplicateMeasurement when claimed for another platform or release."""
    if idempotency_key and user is not None:
        earlier = Run.objects.filter(submitter=user, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return _answer_repeat(prepared, earlier, by_key=True), False
    try:
        with transaction.atomic():
            return _store(prepared, user=user, idempotency_key=idempotency_key), True
    except IntegrityError:
        # A unique constraint refused it: the measurement is stored already (sent before, or
        # by a concurrent post), or a concurrent post took the same Idempotency-Key. Letting
        # the constraints decide spares every new submission a lookup.
        if idempotency_key and user is not None:
            earlier = Run.objects.filter(submitter=user, idempotency_key=idempotency_key).first()
            if earlier is not None:
                return _answer_repeat(prepared, earlier, by_key=True), False
        existing = Run.objects.filter(measurement_hash=prepared.measurement_hash).first()
        if existing is None:
            raise
        return _answer_repeat(prepared, existing, by_key=False), False


def _answer_repeat(prepared: PreparedRun, earlier: Run, *, by_key: bool) -> Run:
    if by_key and earlier.content_hash != prepared.content_hash:
        raise IdempotencyConflict("This Idempotency-Key was already used with a different body.")
    if (earlier.platform_id, earlier.release_id) != (prepared.platform.pk, prepared.release.pk):
        raise DuplicateMeasurement(earlier)
    return earlier


def _new_run(
    prepared: PreparedRun,
    environment: Environment,
    baselines: dict,
    fallback: dict,
    *,
    user,
    key: str,
    screened: bool = True,
) -> Run:
    """An unsaved Run for a prepared submission, screened against the same host's runs (or,
    where the host has too few, against the benchmark's runs on every host) unless it comes
    from a trusted submitter."""
    reason = screen(prepared, baselines, fallback) if screened else ""
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
        measurement_hash=prepared.measurement_hash,
        idempotency_key=key if user is not None else "",
        status=Run.Status.FLAGGED if reason else Run.Status.ACCEPTED,
        status_reason=reason,
        notes=prepared.notes,
        workload=prepared.workload,
        variant=prepared.variant,
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
    fingerprint = prepared.host
    environment = _environments_for({fingerprint: prepared.environment})[fingerprint]
    if is_trusted(user):  # a curator vouches for this account: no screening, no baselines
        run = _new_run(
            prepared, environment, {}, {}, user=user, key=idempotency_key, screened=False
        )
    else:
        baselines = host_baselines(environment, prepared.benchmark, prepared.variant)
        fallback = (
            global_baselines(prepared.benchmark, prepared.variant)
            if needs_global(prepared, baselines)
            else {}
        )
        run = _new_run(prepared, environment, baselines, fallback, user=user, key=idempotency_key)
    run.save()
    results = Result.objects.bulk_create(_new_results(run, prepared))
    CatalogVersion.bump(results=True)  # pages showing performance must revalidate
    # The answer shows the run as stored; with its results at hand (in insertion order, as
    # the API lists them) it needs no second read.
    run._prefetched_objects_cache = {"results": results}  # type: ignore[attr-defined]
    return run


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    results: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)


def store_batch(batch: list[PreparedRun], user, report: ImportReport) -> None:
    """Store validated submissions with bulk inserts in one transaction, whole or not at
    all; content hashes make a re-run store each run exactly once."""
    stored = {
        measurement: (platform, release)
        for measurement, platform, release in Run.objects.filter(
            measurement_hash__in=[p.measurement_hash for p in batch]
        ).values_list("measurement_hash", "platform_id", "release_id")
    }
    fresh: list[PreparedRun] = []
    for prepared in batch:
        claimed = (prepared.platform.pk, prepared.release.pk)
        earlier = stored.get(prepared.measurement_hash)
        if earlier is None:
            stored[prepared.measurement_hash] = claimed
            fresh.append(prepared)
        elif earlier == claimed:
            report.duplicates += 1
        else:
            report.rejected.append(
                (prepared.benchmark.slug, "the same measurement is stored for another platform")
            )
    if not fresh:
        return
    with transaction.atomic():
        hosts = [p.host for p in fresh]
        environments = _environments_for(
            {h: p.environment for h, p in zip(hosts, fresh, strict=True)}
        )
        hosts_per_workload: dict[tuple[Benchmark, str], set[int]] = {}
        for prepared, host in zip(fresh, hosts, strict=True):
            workload = (prepared.benchmark, prepared.variant)
            hosts_per_workload.setdefault(workload, set()).add(environments[host].pk)
        histories = {  # (benchmark, variant) → host → metric → values
            (benchmark.pk, variant): host_histories(ids, benchmark, variant)
            for (benchmark, variant), ids in hosts_per_workload.items()
        }
        fallbacks = {
            (benchmark.pk, variant): global_baselines(benchmark, variant)
            for benchmark, variant in hosts_per_workload
        }
        runs = []
        for prepared, host in zip(fresh, hosts, strict=True):
            environment = environments[host]
            key = (prepared.benchmark.pk, prepared.variant)
            history = histories[key][environment.pk]
            run = _new_run(
                prepared,
                environment,
                baselines_from(history),
                fallbacks[key],
                user=user,
                key="",
            )
            runs.append(run)
            if run.status == Run.Status.ACCEPTED:
                # Later runs in the same batch are screened against this one too.
                for row in prepared.results:
                    if not row.job:
                        bisect.insort(history.setdefault(row.metric.pk, []), row.value)
        insert_runs(runs)
        results = [
            (run_id, row.metric.id, row.job, row.value, row.stddev, row.percentiles)
            for run_id, prepared in zip((run.id for run in runs), fresh, strict=True)
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


CEILINGS_FILE = Path(settings.BASE_DIR) / "fixtures" / "benchmarks" / "ceilings.yaml"

CHINESE_FILE = "benchmarks_zh.yaml"


def _yaml(path: Path) -> Any:
    # libyaml's safe loader when PyYAML has it: the same documents, parsed ~10x faster (the
    # pure-Python parser was ~40% of loading the benchmark list, which many tests do).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def _chinese_names(paths) -> dict:
    """The Chinese names of benchmarks (by slug) and metrics (under "metrics", by metric
    slug) from benchmarks_zh.yaml beside the benchmark files, when there is one."""
    names: dict = {"metrics": {}}
    for folder in dict.fromkeys(path.parent for path in paths):
        found = folder / CHINESE_FILE
        if found.exists():
            data = _yaml(found) or {}
            names["metrics"] |= data.pop("metrics", None) or {}
            names |= data
    return names


@transaction.atomic
def load_benchmarks(*paths: Path) -> int:
    """Create or update benchmarks and their metrics from benchmark YAML files; each metric's
    ceiling is its own `ceiling:` or its unit's in ceilings.yaml. English is the source
    language; the Chinese names come from benchmarks_zh.yaml beside the files."""
    ceilings = _yaml(CEILINGS_FILE)
    entries = [e for path in paths for e in _yaml(path) or []]
    chinese = _chinese_names(paths)
    with translation.override("en"):  # the untranslated attribute names mean English here
        _load_entries(entries, chinese, ceilings)
    return len(entries)


def _benchmark_fields(entry: dict, zh: dict, position: int) -> dict[str, Any]:
    return {
        "name": entry["name"],
        "name_en": entry["name"],
        "name_zh_hans": zh.get("name_zh") or "",
        "tool": entry["tool"],
        "area": entry.get("area", Benchmark.Area.APPLICATION),
        "description": entry.get("description", ""),
        "description_en": entry.get("description", ""),
        "description_zh_hans": zh.get("description_zh") or "",
        "link": entry.get("link", ""),
        "command": entry.get("command", ""),
        "workload": entry.get("workload") or {},
        "position": position,
    }


def _metric_fields(metric: dict, chinese: dict, ceilings: dict, position: int) -> dict[str, Any]:
    return {
        "name": metric["name"],
        "name_en": metric["name"],
        "name_zh_hans": chinese["metrics"].get(metric["slug"]) or "",
        "unit": metric["unit"],
        "better": metric["better"],
        "relative_to": metric.get("relative_to", ""),
        "ceiling": metric.get("ceiling", ceilings.get(metric["unit"])),
        "position": position,
    }


def _load_entries(entries: list[dict], chinese: dict, ceilings: dict) -> None:
    """Rows that exist are updated one by one (their save signals bump the results
    version); new ones, all of them on a fresh database, are inserted in bulk with one
    bump (a per-row save made loading the list a second of every test that needs it)."""
    known = {b.slug: b for b in Benchmark.objects.filter(slug__in=[e["slug"] for e in entries])}
    known_metrics = set(
        Metric.objects.filter(benchmark__in=known.values()).values_list("benchmark_id", "slug")
    )
    benchmarks: list[Benchmark] = []
    for position, entry in enumerate(entries, start=1):
        fields = _benchmark_fields(entry, chinese.get(entry["slug"]) or {}, position)
        if entry["slug"] in known:
            benchmark, _ = Benchmark.objects.update_or_create(slug=entry["slug"], defaults=fields)
        else:
            benchmark = Benchmark(slug=entry["slug"], **fields)
        benchmarks.append(benchmark)
    Benchmark.objects.bulk_create([b for b in benchmarks if b.slug not in known])
    fresh: list[Metric] = []
    for entry, benchmark in zip(entries, benchmarks, strict=True):
        for position, metric in enumerate(entry.get("metrics") or [], start=1):
            fields = _metric_fields(metric, chinese, ceilings, position)
            if (benchmark.pk, metric["slug"]) in known_metrics:
                Metric.objects.update_or_create(
                    benchmark=benchmark, slug=metric["slug"], defaults=fields
                )
            else:
                fresh.append(Metric(benchmark=benchmark, slug=metric["slug"], **fields))
    Metric.objects.bulk_create(fresh)
    if fresh or len(known) < len(benchmarks):
        CatalogVersion.bump(results=True)  # bulk inserts send no save signals

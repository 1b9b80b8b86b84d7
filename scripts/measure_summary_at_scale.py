"""The benchmark summary over 1,000,000 results against the bare SQL aggregate it needs,
measured side by side on PostgreSQL (a scratch database that is dropped afterwards).

Run: .venv/bin/python scripts/measure_summary_at_scale.py [ROWS]
"""

import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "virtcompare_scale"
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"


def psql(*args: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", *args], check=True)


def seed_results(rows: int):
    """`rows` accepted sysbench-cpu runs with one result each, KVM and bare metal on one
    host, written with COPY/INSERT…SELECT (the data under test, not the thing measured)."""
    from django.db import connection

    from benchmarks.models import Benchmark, Environment, Metric
    from comparisons.models import Platform

    benchmark = Benchmark.objects.get(slug="sysbench-cpu")
    metric = Metric.objects.get(benchmark=benchmark, slug="events-per-second")
    env = Environment.objects.create(fingerprint="s" * 32, cpu_model="Scale test host")
    kvm, bare = Platform.objects.get(slug="kvm"), Platform.objects.get(slug="bare-metal")
    plan = [(p, p.releases.get(is_current=True)) for p in (kvm, bare)]
    empty = ("",) * 7
    with connection.cursor() as cursor:
        raw = cursor.connection
        with (
            raw.cursor() as cur,
            cur.copy(
                "COPY benchmarks_run (benchmark_id, platform_id, release_id, environment_id, "
                "guest_os, guest_kernel, vm_disk_type, vm_network_type, paravirtual_drivers, "
                "tool_version, command_line, approximate, submitted_at, raw_format, raw_payload, "
                "content_hash, measurement_hash, idempotency_key, status, status_reason, notes, "
                "workload, variant) "
                "FROM STDIN"
            ) as copy,
        ):
            for i in range(rows):
                platform, release = plan[i % 2]
                copy.write_row(
                    (benchmark.pk, platform.pk, release.pk, env.pk, *empty, False)
                    + ("2026-11-26T00:00:00Z", "normalized", "{}", f"scale-{i}", f"scale-{i}")
                    + ("", "accepted", "", "", "{}", "")
                )
        with raw.cursor() as cur:
            cur.execute(
                "INSERT INTO benchmarks_result (run_id, metric_id, job, value, percentiles) "
                "SELECT id, %s, '', 1000 + (id %% 97) * (CASE WHEN platform_id = %s THEN 0.97 "
                "ELSE 1 END), '{}' FROM benchmarks_run WHERE content_hash LIKE 'scale-%%'",
                [metric.pk, kvm.pk],
            )
            cur.execute("ANALYZE benchmarks_run; ANALYZE benchmarks_result;")
    return benchmark, metric


def time_summary(benchmark, metric, rounds: int = 5) -> dict:
    """The chart summary against the bare percentile aggregate it needs, interleaved."""
    from benchmarks import aggregates, selectors

    filters = selectors.ChartFilters(metric=metric.slug)
    results = selectors.filtered_results(metric, filters)

    def summary():
        return selectors.benchmark_chart(benchmark, filters, figures=False)

    def bare_aggregate():
        return aggregates.group_stats_sql(results, ["run__platform_id", "run__release_id"])

    summary(), bare_aggregate()  # warm caches
    summary_times, bare_times = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        data = summary()
        t1 = time.perf_counter()
        bare_aggregate()
        t2 = time.perf_counter()
        summary_times.append(t1 - t0)
        bare_times.append(t2 - t1)
    ratios = [a / b for a, b in zip(summary_times, bare_times, strict=True)]
    return {
        "summary_s": round(statistics.median(summary_times), 2),
        "bare_aggregate_s": round(statistics.median(bare_times), 2),
        "ratio": round(statistics.median(ratios), 2),
        "series": {s.platform: (s.summary.n, round(s.summary.median, 2)) for s in data["series"]},
    }


def main(rows: int) -> None:
    psql("-c", f"DROP DATABASE IF EXISTS {DB}")
    psql("-c", f"CREATE DATABASE {DB}")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_catalog", stdout=io.StringIO())
    call_command("load_benchmarks", stdout=io.StringIO())
    started = time.perf_counter()
    benchmark, metric = seed_results(rows)
    print(f"loaded {rows:,} results in {time.perf_counter() - started:.1f}s")
    figures = time_summary(benchmark, metric)
    print(f"series: {figures['series']}")
    print(
        f"summary {figures['summary_s']:.2f}s vs bare SQL aggregate "
        f"{figures['bare_aggregate_s']:.2f}s: ratio {figures['ratio']:.2f}x "
        f"(median of 5 interleaved rounds)"
    )
    connection.close()
    psql("-c", f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

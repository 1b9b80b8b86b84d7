"""Faults that must lose nothing: a bulk import killed with SIGKILL, and moving the data
between databases (SQLite → PostgreSQL, pg_dump → restore)."""

import json
import signal
import subprocess
import sys
import time

import pytest
from helpers import REPO, database_env

pytestmark = pytest.mark.django_db(transaction=True)
ENV = {"cpu_model": "Crash CPU", "cores": 4}


def submissions(count: int) -> list[dict]:
    return [
        {
            "format": "normalized",
            "platform": "bare-metal",
            "environment": ENV,
            "benchmark": "sysbench-cpu",
            "results": [
                {"metric": "events-per-second", "value": 1000 + i, "unit": "events/s"},
                {"metric": "latency-avg", "value": 1.5, "unit": "ms"},
            ],
            "notes": f"run {i}",
        }
        for i in range(count)
    ]


def test_import_killed_mid_way_stores_whole_batches_and_a_rerun_completes_it(
    benchmark_catalog, tmp_path
):
    from benchmarks.models import Result, Run

    env = database_env()
    path = tmp_path / "runs.json"
    path.write_text(json.dumps(submissions(3000)))
    command = [sys.executable, "manage.py", "import_runs", str(path), "--batch-size", "100"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while Run.objects.count() < 300 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = Run.objects.count()
    assert 0 < stored < 3000, "the import must be caught half-way"
    assert stored % 100 == 0  # whole batches only
    assert Result.objects.count() == 2 * stored  # no run without its results

    rerun = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert f"Imported {3000 - stored} runs" in rerun.stdout
    assert f"{stored} duplicates" in rerun.stdout
    assert Run.objects.count() == 3000
    assert Result.objects.count() == 6000

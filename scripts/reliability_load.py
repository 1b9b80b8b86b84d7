"""Load and fault run against this machine only: gunicorn (3 workers) + PostgreSQL.

Phase 1: a mixed workload (matrix pages, chart pages, API reads, submissions) for a bounded
time: zero 5xx expected, p50/p99 reported. Phase 2: the same load while PostgreSQL restarts:
only requests in flight may fail, recovery time is measured, and every submission answered 201
must be in the database with all its results. Run: .venv/bin/python scripts/reliability_load.py
"""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "virtcompare_reliability"
PORT = 8766
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
ENV = dict(
    os.environ,
    DATABASE_URL=URL,
    DJANGO_DEBUG="0",
    DJANGO_SSL_REDIRECT="0",
    DJANGO_ALLOWED_HOSTS="127.0.0.1",
    DJANGO_SECRET_KEY="reliability-run-only-" + "x" * 40,
    VIRTCOMPARE_SUBMIT_RATE="1000000/hour",
)
PY = str(ROOT / ".venv" / "bin" / "python")
TOKEN_SNIPPET = """
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
user, _ = User.objects.get_or_create(username="load")
print(Token.objects.get_or_create(user=user)[0].key)
"""
STORED_SNIPPET = """
import json
from django.db.models import Count
from benchmarks.models import Run
runs = Run.objects.filter(notes__startswith="reliability").annotate(n=Count("results"))
notes = list(runs.values_list("notes", flat=True))
print(json.dumps({"notes": notes, "partial": runs.exclude(n=2).count()}))
"""
READS = [
    "/compare/?platforms=hyper-v,vmware-esxi,proxmox-ve,xcp-ng,nutanix-ahv,kvm",
    "/benchmarks/sysbench-cpu/",
    "/api/v1/claims/?page_size=100",
    "/api/v1/matrix/?platforms=hyper-v,vmware-esxi",
]


def sh(*args: str, **kwargs) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def manage(*args: str) -> str:
    return sh(PY, "manage.py", *args, cwd=ROOT, env=ENV)


class Load:
    def __init__(self, token: str, threads: int = 6):
        self.token, self.threads = token, threads
        self.lock = threading.Lock()
        self.results: list[tuple[float, float, int, str]] = []  # (t, latency, status, kind)
        self.accepted: list[str] = []  # notes of submissions answered 201
        self.counter = 0

    def request(self, method: str, path: str, body: bytes | None = None) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {"Authorization": f"Token {self.token}"} if body else {}
        if body:
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=body, headers=headers)
            return conn.getresponse().status
        except OSError:
            return 0  # connection refused / reset: counted as a failure
        finally:
            conn.close()

    def worker(self, stop_at: float, start: float) -> None:
        while time.monotonic() < stop_at:
            with self.lock:
                self.counter += 1
                n = self.counter
            if n % 5 == 0:
                notes = f"reliability {n} {start}"
                body = json.dumps(
                    {
                        "format": "normalized",
                        "platform": "bare-metal",
                        "environment": {"cpu_model": "Reliability host"},
                        "benchmark": "sysbench-cpu",
                        "results": [
                            {
                                "metric": "events-per-second",
                                "value": 1000 + n % 50,
                                "unit": "events/s",
                            },
                            {"metric": "latency-avg", "value": 1.0, "unit": "ms"},
                        ],
                        "notes": notes,
                    }
                ).encode()
                t0 = time.monotonic()
                status = self.request("POST", "/api/v1/runs/", body)
                kind = "submit"
                if status == 201:
                    with self.lock:
                        self.accepted.append(notes)
            else:
                t0 = time.monotonic()
                status = self.request("GET", READS[n % len(READS)])
                kind = "read"
            with self.lock:
                self.results.append((t0 - start, time.monotonic() - t0, status, kind))

    def run(self, seconds: float, during=None) -> None:
        start = time.monotonic()
        stop_at = start + seconds
        threads = [
            threading.Thread(target=self.worker, args=(stop_at, start)) for _ in range(self.threads)
        ]
        for thread in threads:
            thread.start()
        if during:
            during(start)
        for thread in threads:
            thread.join()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> int:
    sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB)
    sh("createdb", "-h", "127.0.0.1", "-U", "postgres", DB)
    manage("migrate", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage("load_catalog")
    manage("load_benchmarks")
    token = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        TOKEN_SNIPPET,
    ).strip()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "3",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    figures: dict = {}
    try:
        time.sleep(3)
        steady = Load(token)
        steady.run(20)
        codes = [r[2] for r in steady.results]
        latencies = [r[1] for r in steady.results]
        figures["steady"] = {
            "requests": len(codes),
            "server_errors": sum(1 for c in codes if c >= 500 or c == 0),
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        }

        cluster = sh("ls", "/etc/postgresql").split()[0]
        restart = {}

        def restart_postgres(start: float) -> None:
            time.sleep(5)
            restart["at"] = time.monotonic() - start
            sh("pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart")
            restart["done"] = time.monotonic() - start

        faulty = Load(token)
        faulty.run(25, during=restart_postgres)
        failures = [r for r in faulty.results if r[2] >= 500 or r[2] == 0]
        after = [r for r in faulty.results if r[0] >= restart["done"]]
        recovered_at = min((r[0] + r[1] for r in after if r[2] < 500 and r[2] != 0), default=None)
        stored = json.loads(
            manage(
                "shell",
                "--verbosity",
                "0",
                "-c",
                STORED_SNIPPET,
            )
        )
        lost = sorted(set(steady.accepted + faulty.accepted) - set(stored["notes"]))
        figures["postgres_restart"] = {
            "requests": len(faulty.results),
            "failed": len(failures),
            "restart_seconds": round(restart["done"] - restart["at"], 2),
            "recovered_after_restart_s": None
            if recovered_at is None
            else round(recovered_at - restart["done"], 2),
            "submissions_answered_201": len(steady.accepted) + len(faulty.accepted),
            "answered_201_but_missing": len(lost),
            "runs_with_partial_results": stored["partial"],
        }
    finally:
        server.terminate()
        server.wait()
        sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB)
    print(json.dumps(figures, indent=2))
    ok = (
        figures["steady"]["server_errors"] == 0
        and figures["postgres_restart"]["answered_201_but_missing"] == 0
        and figures["postgres_restart"]["runs_with_partial_results"] == 0
        and (figures["postgres_restart"]["recovered_after_restart_s"] or 99) <= 5
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Load and fault run against this machine only: gunicorn (3 workers) + PostgreSQL.

1. steady: a mixed workload (matrix pages, chart pages, API reads, submissions) for a bounded
   time: zero 5xx, p50/p99 reported.
2. overload: three times the clients: excess requests get a fast 503 (load shedding) or 429,
   never a 500, and nothing hangs.
3. recovery: back to the steady load: errors stop within seconds.
4. hostile submissions at a steady rate while the steady load runs (the sysbench input that
   once froze a worker, NUL bytes, lone surrogates, nesting, absurd numbers, chunked
   bodies, Idempotency-Key races, NUL in query parameters): every one a 4xx, zero 5xx,
   p99 of the normal requests within 2x of the quiet steady phase, no row from them.
5. PostgreSQL restart under the steady load: only requests in flight fail (503), the app
   recovers within 5 s, every submission answered 201 is in the database with all its
   results, and no run is stored in part.
Prints the figures as JSON and PASS/FAIL per check; exits 1 on any FAIL.
Run: make reliability
"""

import http.client
import json
import sys
import threading
import time
from pathlib import Path

from loopback import (
    api_token,
    drop_database,
    fresh_database,
    manage,
    percentile,
    production_env,
    sh,
    start_gunicorn,
)

DB = "virtcompare_reliability"
PORT = 8766
ENV = production_env(DB, VIRTCOMPARE_SUBMIT_RATE="1000000/hour")
STORED_SNIPPET = """
import json
from django.db.models import Count
from benchmarks.models import Run
from benchmarks.models import Environment
runs = Run.objects.filter(notes__startswith="reliability").annotate(n=Count("results"))
notes = list(runs.values_list("notes", flat=True))
hostile = Run.objects.filter(notes__startswith="hostile").count()
hostile += Environment.objects.filter(cpu_model__startswith="Hostile").count()
print(json.dumps({"notes": notes, "partial": runs.exclude(n=2).count(), "hostile_rows": hostile}))
"""
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
RACE_BODY = {
    "format": "normalized",
    "platform": "bare-metal",
    "environment": {"cpu_model": "Race host"},
    "benchmark": "sysbench-cpu",
    "results": [{"metric": "events-per-second", "value": 999.0, "unit": "events/s"}],
    "notes": "race seed",
}
READS = [
    "/compare/?platforms=hyper-v,vmware-esxi,proxmox-ve,xcp-ng,nutanix-ahv,kvm",
    "/benchmarks/sysbench-cpu/",
    "/api/v1/claims/?page_size=100",
    "/api/v1/matrix/?platforms=hyper-v,vmware-esxi",
]


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
                                # distinct per request: a repeated figure is the same
                                # measurement, answered 200 with the stored run
                                "value": 1000 + n % 50 + n * 1e-6,
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


def hostile_requests() -> list[tuple[str, str, bytes | None, dict]]:
    """(method, path, body, extra headers): one of each input class that once gave a 500,
    froze a worker or stored garbage."""
    sysbench = (DATA / "sysbench" / "cpu-2s.txt").read_text()
    fio = json.loads((DATA / "fio" / "randread-4k-qd32.json").read_text())
    base = {
        "format": "normalized",
        "platform": "bare-metal",
        "environment": {"cpu_model": "Hostile host"},
        "benchmark": "sysbench-cpu",
        "results": [{"metric": "events-per-second", "value": 1000.0, "unit": "events/s"}],
        "notes": "hostile",
    }

    def doc(**changes) -> bytes:
        return json.dumps({**base, **changes}).encode()

    freeze = sysbench.partition("         min:")[0] + " " * 60_000 + "x\n"
    deep = '{"jobs": ' + "[" * 20_000 + "]" * 20_000 + "}"
    absurd = json.loads(json.dumps(fio).replace('"iops": 79126.957681', '"iops": 1e300'))
    many_jobs = {**fio, "jobs": [fio["jobs"][0]] * 300}
    json_headers = {"Content-Type": "application/json"}
    return [
        ("POST", "/api/v1/runs/", doc(format="sysbench", raw=freeze), json_headers),
        ("POST", "/api/v1/runs/", doc(notes="hostile \x00"), json_headers),
        ("POST", "/api/v1/runs/", doc(notes="hostile \ud800"), json_headers),
        ("POST", "/api/v1/runs/", doc(format="fio-json", raw=deep), json_headers),
        ("POST", "/api/v1/runs/", doc(format="fio-json", raw=absurd), json_headers),
        ("POST", "/api/v1/runs/", doc(format="fio-json", raw=many_jobs), json_headers),
        (
            "POST",
            "/api/v1/runs/",
            doc(environment={"cpu_model": "Hostile", "cores": 2**31}),
            json_headers,
        ),
        (
            "POST",
            "/api/v1/runs/",
            json.dumps(base).replace("1000.0", "9" * 5000).encode(),
            json_headers,
        ),
        ("CHUNKED", "/api/v1/runs/", doc(), json_headers),
        ("RACE", "/api/v1/runs/", None, json_headers),
        ("GET", "/benchmarks/sysbench-cpu/?environment=%00", None, {}),
        ("GET", "/api/v1/runs/?submitted_after=2026-01-01T00:00:00-18:37&vcpus=%C2%B2", None, {}),
    ]


class Hostile:
    """Sends the hostile requests in turn at a steady rate; records (status, kind)."""

    def __init__(self, token: str, interval: float = 0.1):
        self.token, self.interval = token, interval
        self.requests = hostile_requests()
        self.statuses: list[tuple[int, int]] = []  # (index of the request class, status)

    def send(self, index: int, n: int) -> int:
        method, path, body, headers = self.requests[index]
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {**headers, "Authorization": f"Token {self.token}"}
        try:
            if method == "CHUNKED":
                conn.request("POST", path, body=iter([body]), headers=headers, encode_chunked=True)
            elif method == "RACE":  # the key of the seed run, with another body: 409
                race = dict(RACE_BODY, results=[dict(RACE_BODY["results"][0], value=1000.0 + n)])
                race_headers = {**headers, "Idempotency-Key": "hostile-race"}
                conn.request(method="POST", url=path, body=json.dumps(race), headers=race_headers)
            else:
                conn.request(method, path, body=body, headers=headers)
            return conn.getresponse().status
        except OSError:
            return 0
        finally:
            conn.close()

    def run(self, stop_at: float) -> None:
        seed = json.dumps(RACE_BODY).encode()
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        conn.request("POST", "/api/v1/runs/", seed, {**headers, "Idempotency-Key": "hostile-race"})
        assert conn.getresponse().status == 201, "the race's seed run was not stored"
        conn.close()
        n = 0
        while time.monotonic() < stop_at:
            index = n % len(self.requests)
            self.statuses.append((index, self.send(index, n)))
            n += 1
            time.sleep(self.interval)


def main() -> int:
    fresh_database(DB, ENV)
    token = api_token(ENV, "load")
    server = start_gunicorn(PORT, ENV)
    figures: dict = {}
    try:
        steady = Load(token)
        steady.run(20)
        figures["steady"] = summarize(steady.results)

        overload = Load(token, threads=3 * steady.threads)
        overload.run(20)
        figures["overload_3x"] = summarize(overload.results)
        refused = [r[1] for r in overload.results if r[2] in (429, 503)]
        figures["overload_3x"]["refused"] = len(refused)
        figures["overload_3x"]["refused_p99_ms"] = ms(percentile(refused, 0.99)) if refused else 0

        recovery = Load(token)
        recovery.run(10)
        errors = [r[0] + r[1] for r in recovery.results if is_error(r[2])]
        figures["recovery"] = summarize(recovery.results)
        figures["recovery"]["errors_stop_after_s"] = round(max(errors, default=0), 2)

        hostile = Hostile(token)
        attacked = Load(token)
        attacked.run(20, during=lambda start: hostile.run(start + 20))
        quiet_p99 = figures["steady"]["p99_ms"]
        figures["hostile"] = summarize(attacked.results)
        figures["hostile"]["quiet_p99_ms"] = quiet_p99
        figures["hostile"]["hostile_requests"] = len(hostile.statuses)
        figures["hostile"]["hostile_by_status"] = count_by_status(
            [(0, 0, status, "") for _, status in hostile.statuses]
        )
        figures["hostile"]["hostile_not_4xx"] = sorted(
            {
                hostile.requests[i][0] + " #" + str(i)
                for i, s in hostile.statuses
                if not 400 <= s < 500
            }
        )

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
        stored = json.loads(manage(ENV, "shell", "--verbosity", "0", "-c", STORED_SNIPPET))
        answered = steady.accepted + overload.accepted + recovery.accepted + faulty.accepted
        lost = sorted(set(answered) - set(stored["notes"]))
        figures["postgres_restart"] = {
            "requests": len(faulty.results),
            "failed": len(failures),
            "failed_by_status": count_by_status(failures),
            "restart_seconds": round(restart["done"] - restart["at"], 2),
            "recovered_after_restart_s": None
            if recovered_at is None
            else round(recovered_at - restart["done"], 2),
        }
        figures["data"] = {
            "submissions_answered_201": len(answered),
            "answered_201_but_missing": len(lost),
            "runs_with_partial_results": stored["partial"],
            "rows_from_hostile_requests": stored["hostile_rows"],
        }
    finally:
        server.terminate()
        server.wait()
        drop_database(DB)
    print(json.dumps(figures, indent=2))
    return report(figures)


def is_error(status: int) -> bool:
    return status >= 500 or status == 0


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def count_by_status(results) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in results:
        key = str(r[2]) if r[2] else "connection error"
        counts[key] = counts.get(key, 0) + 1
    return counts


def summarize(results) -> dict:
    latencies = [r[1] for r in results]
    return {
        "requests": len(results),
        "by_status": count_by_status(results),
        "p50_ms": ms(percentile(latencies, 0.5)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "max_ms": ms(max(latencies)),
    }


def report(figures: dict) -> int:
    steady, overload = figures["steady"]["by_status"], figures["overload_3x"]["by_status"]
    restart, data = figures["postgres_restart"], figures["data"]
    checks = {
        "steady load: no 5xx": not any(k.startswith("5") or k[0] == "c" for k in steady),
        "3x load: refusals are 503/429, never 500 or a dropped connection": all(
            k in ("503", "429") or k < "500" for k in overload
        ),
        "3x load: refusals are fast (p99 < 2 s)": figures["overload_3x"]["refused_p99_ms"] < 2000,
        "3x load: nothing hangs (slowest < 15 s)": figures["overload_3x"]["max_ms"] < 15000,
        "recovery: errors stop within 5 s": figures["recovery"]["errors_stop_after_s"] <= 5,
        "PostgreSQL restart: back within 5 s": (restart["recovered_after_restart_s"] or 99) <= 5,
        "PostgreSQL restart: failures are 503, not 500": "500" not in restart["failed_by_status"],
        "hostile: every hostile request a 4xx": not figures["hostile"]["hostile_not_4xx"],
        "hostile: no 5xx at all": not any(
            k.startswith("5") or k[0] == "c" for k in figures["hostile"]["by_status"]
        ),
        "hostile: normal p99 within 2x of the quiet phase": figures["hostile"]["p99_ms"]
        <= 2 * figures["hostile"]["quiet_p99_ms"],
        "hostile: no row from a hostile request": data["rows_from_hostile_requests"] == 0,
        "every 201 stored": data["answered_201_but_missing"] == 0,
        "no run stored in part": data["runs_with_partial_results"] == 0,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

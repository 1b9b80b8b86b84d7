"""Moving the data loses nothing: SQLite → PostgreSQL with dumpdata/loaddata, and
pg_dump → pg_restore. Compared through the catalogue export and a benchmark summary."""

import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest
from helpers import REPO


def _on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


# Runs once, in the PostgreSQL pass of `make test` (its databases are scratch ones anyway).
pytestmark = pytest.mark.skipif(
    shutil.which("pg_dump") is None or not _on_postgresql(),
    reason="needs PostgreSQL and its client tools",
)
PG = ["-h", "127.0.0.1", "-U", "postgres"]
SUMMARY = (
    "import json; from benchmarks import selectors; from benchmarks.models import Benchmark; "
    "d = selectors.benchmark_chart(Benchmark.objects.get(slug='mlperf-inference-vs-bare-metal'), "
    "selectors.ChartFilters(), figures=False); "
    "print(json.dumps([[s.platform, s.summary.n, s.summary.median] for s in d['series']]))"
)


def manage(url: str, *args: str) -> str:
    env = dict(os.environ, DJANGO_DEBUG="1", DATABASE_URL=url)
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def populate(url: str) -> None:
    manage(url, "migrate", "-v0")
    manage(url, "load_catalog")
    manage(url, "load_benchmarks")
    manage(url, "import_runs", "fixtures/benchmarks/published")


def snapshot(url: str, folder) -> tuple[dict, str]:
    manage(url, "export_catalog", str(folder))
    files = {str(p.relative_to(folder)): p.read_text() for p in folder.rglob("*.yaml")}
    return files, manage(url, "shell", "--verbosity", "0", "-c", SUMMARY)


def _url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


@pytest.fixture
def scratch_database():
    """An empty database of its own."""
    name = f"vc_move_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *PG, name], check=True)
    yield _url(name)
    subprocess.run(["dropdb", *PG, "--if-exists", name], check=True)


@pytest.fixture(scope="module")
def populated_template():
    """A database populated once for the module (migrate and the shipped data, as `populate`
    does): the tests that need a populated source get a copy of it."""
    name = f"vc_move_tpl_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *PG, name], check=True)
    populate(_url(name))
    yield name
    subprocess.run(["dropdb", *PG, "--if-exists", name], check=True)


@pytest.fixture
def populated_source(populated_template):
    """A populated database of its own: a file-level copy of the module's populated one
    (CREATE DATABASE … TEMPLATE), the same contents as populating it again."""
    name = f"vc_move_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *PG, "-T", populated_template, name], check=True)
    yield _url(name)
    subprocess.run(["dropdb", *PG, "--if-exists", name], check=True)


def test_sqlite_to_postgresql_keeps_every_claim_and_number(tmp_path, scratch_database):
    sqlite = f"sqlite:///{tmp_path / 'embedded.sqlite3'}"
    populate(sqlite)
    dump = tmp_path / "dump.json"
    dump.write_text(
        manage(
            sqlite,
            "dumpdata",
            "--natural-foreign",
            "--exclude=contenttypes",
            "--exclude=auth.permission",
            "--exclude=admin.logentry",
            "--exclude=sessions",
        )
    )
    postgres = scratch_database
    manage(postgres, "migrate", "-v0")
    manage(
        postgres,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group; Group.objects.all().delete()",
    )
    manage(postgres, "loaddata", str(dump))
    assert snapshot(sqlite, tmp_path / "a") == snapshot(postgres, tmp_path / "b")
    assert json.loads(snapshot(postgres, tmp_path / "c")[1])  # the summary has series


def test_pg_dump_and_restore_give_identical_exports(tmp_path, populated_source, scratch_database):
    source, target = populated_source, scratch_database
    archive = tmp_path / "backup.dump"
    subprocess.run(
        ["pg_dump", *PG, "-Fc", "-f", str(archive), source.rsplit("/", 1)[1]], check=True
    )
    subprocess.run(
        ["pg_restore", *PG, "--no-owner", "-d", target.rsplit("/", 1)[1], str(archive)], check=True
    )
    assert snapshot(source, tmp_path / "a") == snapshot(target, tmp_path / "b")


COUNTS = (
    "from django.db.models import Count; from benchmarks.models import Run; "
    "runs = Run.objects.filter(notes__startswith='under load'); "
    "print(runs.count(), runs.annotate(n=Count('results')).exclude(n=2).count())"
)


def test_pg_dump_while_an_import_writes_restores_a_consistent_database(
    tmp_path, populated_source, scratch_database
):
    source, target = populated_source, scratch_database
    runs = [
        {
            "format": "normalized",
            "platform": "bare-metal",
            "environment": {"cpu_model": "Backup host"},
            "benchmark": "sysbench-cpu",
            "results": [
                {"metric": "events-per-second", "value": 1000 + i, "unit": "events/s"},
                {"metric": "latency-avg", "value": 1.5, "unit": "ms"},
            ],
            "notes": f"under load {i}",
        }
        for i in range(4000)
    ]
    path = tmp_path / "runs.json"
    path.write_text(json.dumps(runs))
    env = dict(os.environ, DJANGO_DEBUG="1", DATABASE_URL=source)
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "import_runs", str(path), "--batch-size", "100"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        before = 0
        while before < 300 and writer.poll() is None:  # the import is well under way
            before = int(manage(source, "shell", "-v0", "-c", COUNTS).split()[0])
        archive = tmp_path / "backup.dump"
        name = source.rsplit("/", 1)[1]
        subprocess.run(["pg_dump", *PG, "-Fc", "-f", str(archive), name], check=True)
        assert writer.poll() is None, "the dump must overlap the import"
    finally:
        assert writer.wait(timeout=300) == 0
    subprocess.run(
        ["pg_restore", *PG, "--no-owner", "-d", target.rsplit("/", 1)[1], str(archive)], check=True
    )
    restored_runs, partial = map(int, manage(target, "shell", "-v0", "-c", COUNTS).split())
    assert 300 <= restored_runs < 4000  # a snapshot from the middle of the import
    assert restored_runs % 100 == 0  # whole batches only
    assert partial == 0  # no run without all its results
    # The catalogue and the summaries the import did not touch are identical.
    assert snapshot(source, tmp_path / "a") == snapshot(target, tmp_path / "b")

"""Bulk inserts for imports. On PostgreSQL runs and results go in with COPY: Django's
bulk_create sends them as arrays, and encoding the arrays (escaping every raw payload) was
most of an import's time. Elsewhere (SQLite) bulk_create does the same job."""

import json

from django.db import connection
from django.utils import timezone

from .models import Result, Run

RESULT_COLUMNS = ("run_id", "metric_id", "job", "value", "stddev", "percentiles")
# (run id, metric id, job, value, stddev, percentiles)
ResultTuple = tuple[int, int, str, float, float | None, dict]


def insert_runs(runs: list[Run]) -> None:
    """Insert unsaved runs and give each its primary key."""
    if connection.vendor != "postgresql":
        Run.objects.bulk_create(runs, batch_size=1000)
        return
    now = timezone.now()
    fields = [f for f in Run._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(["id", *(f.column for f in fields)])
    with connection.cursor() as cursor:
        # The ids come from the table's own sequence, so later inserts never collide.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Run._meta.db_table, len(runs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        # COPY takes text: a JSON column gets its JSON (the ORM would encode it the same way).
        encoded = [(f.attname, f.get_internal_type() == "JSONField") for f in fields]
        with (
            cursor.connection.cursor() as raw,
            raw.copy(f"COPY {Run._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):
            for run, pk in zip(runs, ids, strict=True):
                run.pk, run.submitted_at = pk, now
                values = ((getattr(run, a), js) for a, js in encoded)
                copy.write_row([pk, *(json.dumps(v) if js else v for v, js in values)])


def insert_results(rows: list[ResultTuple]) -> None:
    if connection.vendor != "postgresql":
        results = [Result(**dict(zip(RESULT_COLUMNS, row, strict=True))) for row in rows]
        Result.objects.bulk_create(results, batch_size=5000)
        return
    columns = ", ".join(RESULT_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor() as raw,
        raw.copy(f"COPY {Result._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for *fields, percentiles in rows:
            copy.write_row((*fields, json.dumps(percentiles) if percentiles else "{}"))

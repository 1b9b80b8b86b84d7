import json

import pytest
from django.core.management import call_command
from helpers import DATA

from benchmarks.models import Result, Run

pytestmark = pytest.mark.usefixtures("benchmark_catalog")
ENV = {"cpu_model": "Import CPU", "cores": 16}


def submission(index: int) -> dict:
    return {
        "format": "normalized",
        "platform": "alpha",
        "release": "2.0",
        "environment": ENV,
        "benchmark": "sysbench-cpu",
        "results": [{"metric": "events-per-second", "value": 1000 + index, "unit": "events/s"}],
        "notes": f"run {index}",
    }


def test_import_runs_stores_each_run_once_and_reports_rejections(tmp_path, capsys):
    tmp_path = tmp_path / "runs"
    tmp_path.mkdir()
    good = [submission(i) for i in range(30)]
    (tmp_path / "batch.json").write_text(json.dumps(good))
    bad = submission(99) | {"platform": "nope"}
    (tmp_path / "bad.yaml").write_text(json.dumps(bad))
    (tmp_path / "fio.json").write_text(
        json.dumps(
            {
                "format": "fio-json",
                "platform": "bare-metal",
                "environment": ENV,
                "raw": json.loads((DATA / "fio" / "randread-4k-qd32.json").read_text()),
            }
        )
    )
    call_command("import_runs", str(tmp_path), "--batch-size", "7")
    out = capsys.readouterr().out
    assert "Imported 31 runs" in out
    assert "1 rejected" in out
    assert "Unknown platform 'nope'" in out
    assert Run.objects.count() == 31
    assert Result.objects.filter(run__benchmark__slug="sysbench-cpu").count() == 30

    call_command("import_runs", str(tmp_path))
    assert "Imported 0 runs (0 results), 31 duplicates" in capsys.readouterr().out
    assert Run.objects.count() == 31


def test_import_is_bulk_not_per_row(tmp_path, django_assert_max_num_queries):
    tmp_path = tmp_path / "runs"
    tmp_path.mkdir()
    (tmp_path / "batch.json").write_text(json.dumps([submission(i) for i in range(200)]))
    # Lookups, one existence check, the environment, one screening read and bulk inserts:
    # far fewer than one insert per run and per result.
    with django_assert_max_num_queries(20):
        call_command("import_runs", str(tmp_path), "--batch-size", "500")
    assert Run.objects.count() == 200


def test_admin_accepts_flagged_runs_and_shows_the_raw_payload(client, admin_user, tmp_path):
    tmp_path = tmp_path / "runs"
    tmp_path.mkdir()
    (tmp_path / "one.json").write_text(json.dumps(submission(1)))
    call_command("import_runs", str(tmp_path))
    run = Run.objects.get()
    Run.objects.filter(pk=run.pk).update(status=Run.Status.FLAGGED)
    client.force_login(admin_user)
    client.post("/admin/benchmarks/run/", {"action": "accept", "_selected_action": [run.pk]})
    run.refresh_from_db()
    assert run.status == Run.Status.ACCEPTED
    page = client.get(f"/admin/benchmarks/run/{run.pk}/change/").content.decode()
    assert f"/runs/{run.pk}/raw" in page
    assert "events-per-second" in page
    listing = client.get("/admin/benchmarks/run/", {"status": "accepted"})
    assert listing.status_code == 200

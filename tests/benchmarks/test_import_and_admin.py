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


def test_imports_keep_results_hosts_and_screening_and_later_submissions_fit_in(
    tmp_path, token_client
):
    def on_host(cpu: str, index: int, value: float) -> dict:
        run = submission(index) | {"environment": {"cpu_model": cpu}}
        run["results"] = [dict(run["results"][0], value=value)]
        return run

    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps([on_host("Host A", i, 1000 + i) for i in range(3)]))
    call_command("import_runs", str(first))
    # Host A is screened against its runs in the database; host B, new, against the runs
    # before it in the same batch.
    batch = [on_host("Host A", 10, 1_000_000)]
    batch += [on_host("Host B", 20 + i, 500 + i) for i in range(3)]
    batch += [on_host("Host B", 30, 50_000), on_host("Host B", 31, 503)]
    second.write_text(json.dumps(batch))
    call_command("import_runs", str(second))

    runs = {r.notes: r for r in Run.objects.select_related("environment")}
    assert len(runs) == 9
    flagged = {notes for notes, r in runs.items() if r.status == Run.Status.FLAGGED}
    assert flagged == {"run 10", "run 30"}
    assert {r.environment.cpu_model for r in runs.values()} == {"Host A", "Host B"}
    values = dict(Result.objects.values_list("run__notes", "value"))
    assert values == {
        **{f"run {i}": 1000 + i for i in range(3)},
        "run 10": 1_000_000,
        **{f"run {20 + i}": 500 + i for i in range(3)},
        "run 30": 50_000,
        "run 31": 503,
    }
    # Imported ids come from the table's sequence: a submission afterwards fits in.
    response = token_client.post(
        "/api/v1/runs/", json.dumps(on_host("Host B", 40, 504)), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["id"] > max(r.pk for r in runs.values())


def test_imported_text_and_percentiles_are_stored_exactly(tmp_path):
    # COPY has its own escaping: tabs, newlines, backslashes and non-ASCII must survive it.
    notes = 'tab\there\nnew line \\ backslash "quoted" 中文 \\N'
    run = submission(1) | {"notes": notes}
    run["results"] = [dict(run["results"][0], percentiles={"p99": 12.5, "p99.9": 20.0})]
    (tmp_path / "one.json").write_text(json.dumps(run))
    call_command("import_runs", str(tmp_path))
    stored = Run.objects.get()
    assert stored.notes == notes
    assert json.loads(stored.raw_payload)["results"][0]["percentiles"] == {
        "p99": 12.5,
        "p99.9": 20.0,
    }
    assert stored.results.get().percentiles == {"p99": 12.5, "p99.9": 20.0}

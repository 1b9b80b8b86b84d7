import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from helpers import DATA

from benchmarks.models import Result, Run
from benchmarks.serializers import RunSubmissionSerializer
from benchmarks.services import load_benchmarks, run_submit
from comparisons.services import load_catalog_dir

REPO = DATA.parent.parent


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_submissions_create_exactly_one_run(
    small_catalog_dir, django_user_model
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is only real on PostgreSQL")
    load_catalog_dir(small_catalog_dir)
    load_benchmarks(REPO / "fixtures" / "benchmarks" / "benchmarks.yaml")
    user = django_user_model.objects.create_user("racer")
    payload = {
        "format": "fio-json",
        "platform": "alpha",
        "release": "2.0",
        "environment": {"cpu_model": "Race CPU", "cores": 4},
        "raw": json.loads((DATA / "fio" / "randread-4k-qd32.json").read_text()),
    }

    def submit(_):
        try:
            prepared = RunSubmissionSerializer().run_validation(payload)
            run, created = run_submit(user=user, prepared=prepared)
            return run.pk, created
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(submit, range(20)))

    assert Run.objects.count() == 1
    assert {pk for pk, _ in outcomes} == {Run.objects.get().pk}
    assert sum(created for _, created in outcomes) == 1
    assert Result.objects.count() == Run.objects.get().results.count() > 0

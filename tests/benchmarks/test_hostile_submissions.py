"""Submissions as a hostile user sends them: each answers a 4xx in the documented shape,
names the field, and leaves no row behind — never a 500. Every case here answered 500, was
stored as garbage or was counted twice before the hardening (issue #16)."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from helpers import DATA, REPO

from benchmarks.models import Environment, Result, Run
from benchmarks.serializers import RunSubmissionSerializer
from benchmarks.services import load_benchmarks, run_submit
from comparisons.services import load_catalog_dir

URL = "/api/v1/runs/"
ENV = {"cpu_model": "Hostile CPU 1", "cores": 8, "memory_gb": 32}
FIO = json.loads((DATA / "fio" / "randread-4k-qd32.json").read_text())
FIO_TEXT = (DATA / "fio" / "randread-4k-qd32.json").read_text()
SYSBENCH = (DATA / "sysbench" / "cpu-2s.txt").read_text()
STRESS_NG = (DATA / "stress-ng" / "cpu-vm-matrix-memcpy-2s.yaml").read_text()
pytestmark = pytest.mark.usefixtures("benchmark_catalog")


def fio_payload(**overrides):
    payload = {
        "format": "fio-json",
        "platform": "alpha",
        "release": "2.0",
        "environment": ENV,
        "vm": {"vcpus": 4, "memory_gb": 8, "guest_os": "Debian 12"},
        "raw": FIO,
    }
    payload.update(overrides)
    return payload


def normalized(**overrides):
    payload = {
        "format": "normalized",
        "platform": "alpha",
        "release": "2.0",
        "environment": ENV,
        "benchmark": "sysbench-cpu",
        "results": [{"metric": "events-per-second", "value": 3051.39, "unit": "events/s"}],
    }
    payload.update(overrides)
    return payload


def post_text(client, body: str, **extra):
    return client.post(URL, body, content_type="application/json", **extra)


def post(client, payload, **extra):
    return post_text(client, json.dumps(payload), **extra)


def rows():
    return (Run.objects.count(), Result.objects.count(), Environment.objects.count())


def assert_refused(response, status=400, field=None):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["detail"]
    if field is not None:
        assert any(name.startswith(field) for name in body["errors"]), body


def with_fio_option(name, value):
    raw = json.loads(FIO_TEXT)
    raw["jobs"][0]["job options"][name] = value
    return raw


REFUSED = {
    # NUL characters: PostgreSQL text cannot hold them (was a 500 from the database).
    "nul in notes": (fio_payload(notes="a\x00b"), "notes"),
    "nul in cpu_model": (fio_payload(environment={**ENV, "cpu_model": "C\x00PU"}), "environment"),
    "nul in platform slug": (fio_payload(platform="alp\x00ha"), "platform"),
    "nul in benchmark slug": (normalized(benchmark="sysbench-\x00cpu"), "benchmark"),
    "nul in source key": (fio_payload(source="alpha-\x00docs"), "source"),
    "nul in a fio option": (fio_payload(raw=with_fio_option("filename", "/tmp/a\x00b")), "raw"),
    "nul in sysbench text": (
        {**fio_payload(), "format": "sysbench", "raw": SYSBENCH.replace("CPU speed", "CPU\x00")},
        "raw",
    ),
    "nul in a job name": (
        normalized(
            results=[
                {"metric": "events-per-second", "value": 1.0, "unit": "events/s", "job": "\x00"}
            ]
        ),
        "results",
    ),
    "nul in a percentile name": (
        normalized(
            results=[
                {
                    "metric": "events-per-second",
                    "value": 1.0,
                    "unit": "events/s",
                    "percentiles": {"p\x0050": 1.0},
                }
            ]
        ),
        "results",
    ),
    # Lone surrogates: not Unicode, so not storable.
    "surrogate in notes": (fio_payload(notes="\ud800"), "notes"),
    "surrogate in guest_os": (fio_payload(vm={"guest_os": "x\udfff"}), "vm.guest_os"),
    # Longer than the column (the old check allowed 200 everywhere).
    "environment name > 120": (
        fio_payload(environment={**ENV, "name": "n" * 121}),
        "environment.name",
    ),
    "guest_os > 120": (fio_payload(vm={"guest_os": "g" * 121}), "vm.guest_os"),
    "disk_type > 80": (fio_payload(vm={"disk_type": "d" * 81}), "vm.disk_type"),
    # Integers beyond the column's range.
    "sockets 40000": (fio_payload(environment={**ENV, "sockets": 40000}), "environment.sockets"),
    "cores 2^31": (fio_payload(environment={**ENV, "cores": 2**31}), "environment.cores"),
    "vcpus 2^31": (fio_payload(vm={"vcpus": 2**31}), "vm.vcpus"),
    # Numbers too large to be a float at all, and physically impossible ones.
    "memory_gb with 400 digits": (
        fio_payload(environment={**ENV, "memory_gb": 10**400}),
        "environment",
    ),
    "result with 400 digits": (
        normalized(results=[{"metric": "events-per-second", "value": 10**400, "unit": "events/s"}]),
        "results",
    ),
    "fio IOPS 1e300": (
        fio_payload(raw=json.loads(FIO_TEXT.replace('"iops" : 79126.957681', '"iops" : 1e300'))),
        "raw",
    ),
    "normalized value 1e300": (
        normalized(results=[{"metric": "events-per-second", "value": 1e300, "unit": "events/s"}]),
        "results",
    ),
    "fio bs with 5000 digits": (fio_payload(raw=with_fio_option("bs", "4" * 5000 + "k")), "raw"),
    "sysbench figure with 5000 digits": (
        {**fio_payload(), "format": "sysbench", "raw": SYSBENCH.replace("3051.39", "9" * 5000)},
        "raw",
    ),
    # Deep nesting inside documents the outer depth check never saw.
    "nested raw text": (fio_payload(raw='{"jobs": ' + "[" * 5000 + "]" * 5000 + "}"), "raw"),
    "nested stress-ng YAML": (
        {**fio_payload(), "format": "stress-ng-yaml", "raw": "m: " + "[" * 5000 + "]" * 5000},
        "raw",
    ),
    # Types coerced silently before.
    "stddev true": (
        normalized(
            results=[
                {"metric": "events-per-second", "value": 1.0, "unit": "events/s", "stddev": True}
            ]
        ),
        "results",
    ),
    "tool_version object": (fio_payload(tool_version={"a": 1}), "tool_version"),
    "approximate as text": (fio_payload(approximate="yes"), "approximate"),
    "source as number": (fio_payload(source=5), "source"),
    "percentiles as list": (
        normalized(
            results=[
                {
                    "metric": "events-per-second",
                    "value": 1.0,
                    "unit": "events/s",
                    "percentiles": [1],
                }
            ]
        ),
        "results",
    ),
    # No bound on results per run.
    "1001 normalized results": (
        normalized(
            benchmark="fio-randread-4k",
            results=[
                {"metric": "read-iops", "value": 1.0, "unit": "IOPS", "job": f"j{i}"}
                for i in range(1001)
            ],
        ),
        "results",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_hostile_submission_is_a_4xx_naming_the_field_and_stores_nothing(token_client, case):
    payload, field = REFUSED[case]
    before = rows()
    assert_refused(post(token_client, payload), field=field)
    assert rows() == before


def test_a_fio_file_with_thousands_of_jobs_is_refused(token_client):
    # Jobs cut to the fields fio's parser reads, so 4,000 of them fit in the 1 MiB raw
    # limit: stored whole, this was one run of 12,000 results and a multi-megabyte page.
    document = json.loads(FIO_TEXT)
    job = document["jobs"][0]
    read = {k: job["read"][k] for k in ("io_bytes", "bw_bytes", "iops")}
    read["clat_ns"] = {"mean": job["read"]["clat_ns"]["mean"]}
    small = {"groupid": 0, "error": 0, "job options": {"rw": "randread", "bs": "4k"}}
    jobs = [{**small, "jobname": f"j{i}", "read": read} for i in range(4000)]
    text = json.dumps({**document, "jobs": jobs}, separators=(",", ":"))
    assert len(text) < 1024 * 1024
    response = post(token_client, fio_payload(raw=text))
    assert_refused(response, field="raw")
    assert "at most 64 per run" in response.json()["detail"]
    assert Run.objects.count() == 0


def test_an_uploaded_file_nested_too_deep_is_refused(token_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("fio.json", b'{"jobs": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")
    fields = {"format": "fio-json", "platform": "alpha", "release": "2.0"}
    response = token_client.post(URL, {**fields, "environment": json.dumps(ENV), "file": upload})
    assert_refused(response, field="raw")


def test_an_uploaded_file_over_the_output_limit_is_413_naming_the_file(token_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # Over the output's 1 MiB, under the body's 2 MiB: the one output-size check answers,
    # and names the file the output came in.
    upload = SimpleUploadedFile("fio.json", b" " * (1024 * 1024 + 1) + FIO_TEXT.encode())
    fields = {"format": "fio-json", "platform": "alpha", "release": "2.0"}
    response = token_client.post(URL, {**fields, "environment": json.dumps(ENV), "file": upload})
    assert response.status_code == 413, response.content
    assert response.json()["errors"] == {"file": ["File is over the 1048576 byte limit."]}
    assert Run.objects.count() == 0


def test_a_form_field_nested_too_deep_is_refused(token_client):
    fields = {"format": "fio-json", "platform": "alpha", "release": "2.0", "raw": FIO_TEXT}
    response = token_client.post(URL, {**fields, "environment": "[" * 5000 + "]" * 5000})
    assert_refused(response, field="environment")


def test_nan_and_huge_integers_in_the_body_are_a_400(token_client):
    body = json.dumps(fio_payload()).replace('"cores": 8', '"cores": ' + "9" * 5000)
    assert_refused(post_text(token_client, body))
    assert_refused(post_text(token_client, json.dumps(fio_payload()).replace("8,", "NaN,", 1)))
    assert Run.objects.count() == 0


def test_a_chunked_body_without_a_length_is_a_411(token_client):
    response = post(
        token_client, fio_payload(), CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert_refused(response, status=411)
    assert Run.objects.count() == 0


# --- the same measurement, however wrapped ---------------------------------------------


def test_the_same_output_with_other_notes_is_the_stored_run(token_client):
    first = post(token_client, fio_payload(notes="first"))
    again = post(token_client, fio_payload(notes="sent again, other words"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Run.objects.count() == 1


def test_the_same_output_as_a_file_is_the_stored_run(token_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    first = post(token_client, fio_payload())
    upload = SimpleUploadedFile("fio.json", FIO_TEXT.encode())
    fields = {"format": "fio-json", "platform": "alpha", "release": "2.0"}
    again = token_client.post(URL, {**fields, "environment": json.dumps(ENV), "file": upload})
    assert again.status_code == 200, again.json()
    assert again.json()["id"] == first.json()["id"]
    assert Run.objects.count() == 1


def test_the_same_output_under_another_platform_is_a_409(token_client):
    post(token_client, fio_payload())
    other = post(token_client, fio_payload(platform="beta", release="7"))
    assert_refused(other, status=409)
    assert "stored already" in other.json()["detail"]
    assert Run.objects.count() == 1


def test_the_same_output_on_another_release_is_a_409(token_client):
    post(token_client, fio_payload())
    assert_refused(post(token_client, fio_payload(release="1.0")), status=409)


def test_the_same_typed_in_figure_for_two_platforms_is_two_runs(token_client):
    # A study may report one figure for two platforms; typed-in figures carry no trace of
    # the execution, so they are one measurement per platform.
    assert post(token_client, normalized()).status_code == 201
    assert post(token_client, normalized(platform="beta", release="7")).status_code == 201


# --- garbage cannot poison the charts ----------------------------------------------------


def sysbench_run(value, cpu="Screening CPU"):
    return normalized(
        environment={**ENV, "cpu_model": cpu},
        results=[{"metric": "events-per-second", "value": value, "unit": "events/s"}],
    )


def test_a_new_host_is_screened_against_every_host(token_client):
    for index, value in enumerate([3000.0, 3100.0, 2900.0]):
        assert post(token_client, sysbench_run(value, cpu=f"Known CPU {index}")).status_code == 201
    zero = post(token_client, sysbench_run(0.0, cpu="New CPU A")).json()
    huge = post(token_client, sysbench_run(3_000_000.0, cpu="New CPU B")).json()
    fine = post(token_client, sysbench_run(4500.0, cpu="New CPU C")).json()
    assert (zero["status"], huge["status"], fine["status"]) == ("flagged", "flagged", "accepted")
    assert "on all hosts" in zero["status_reason"]


def test_a_flagged_value_never_becomes_the_hosts_baseline(token_client):
    for value in (3000.0, 3050.0, 2950.0):
        post(token_client, sysbench_run(value))
    for value in (90_000.0, 91_000.0, 92_000.0):  # garbage, flagged each time
        assert post(token_client, sysbench_run(value)).json()["status"] == "flagged"
    assert post(token_client, sysbench_run(3010.0)).json()["status"] == "accepted"


def test_zero_where_lower_is_better_is_not_flagged(token_client):
    base = {
        "format": "normalized",
        "platform": "alpha",
        "release": "2.0",
        "benchmark": "iperf3-tcp",
    }
    for index, retransmits in enumerate([5.0, 7.0, 6.0]):
        results = [
            {"metric": "sent-throughput", "value": 9000.0 + index, "unit": "Mbit/s"},
            {"metric": "received-throughput", "value": 8990.0 + index, "unit": "Mbit/s"},
            {"metric": "retransmits", "value": retransmits, "unit": "count"},
        ]
        post(token_client, {**base, "environment": ENV, "results": results})
    results = [
        {"metric": "sent-throughput", "value": 9100.0, "unit": "Mbit/s"},
        {"metric": "received-throughput", "value": 9090.0, "unit": "Mbit/s"},
        {"metric": "retransmits", "value": 0.0, "unit": "count"},
    ]
    body = post(token_client, {**base, "environment": ENV, "results": results}).json()
    assert body["status"] == "accepted", body["status_reason"]


def test_every_shipped_metric_has_a_physical_ceiling():
    from benchmarks.models import Metric

    load_benchmarks(REPO / "fixtures" / "benchmarks" / "published-benchmarks.yaml")
    missing = list(Metric.objects.filter(ceiling__isnull=True).values_list("slug", "unit"))
    assert missing == []


# --- raw output kept as sent -------------------------------------------------------------


def test_raw_sent_as_a_json_object_is_stored_byte_for_byte(token_client):
    envelope = json.dumps(fio_payload(raw="RAW"))
    body = envelope.replace('"RAW"', FIO_TEXT.strip())  # fio's own spacing, " : " and all
    response = post_text(token_client, body)
    assert response.status_code == 201, response.json()
    assert Run.objects.get().raw_payload == FIO_TEXT.strip()


# --- query parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/benchmarks/sysbench-cpu/?environment=%00",
        "/api/v1/benchmarks/sysbench-cpu/summary/?environment=%00",
        "/api/v1/runs/?guest_os=%00",
        "/api/v1/runs/?platform=a%00",
        "/compare/?platforms=hyper-v%00",
        "/benchmarks/?x%00=1",
    ],
)
def test_a_nul_in_a_query_parameter_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/benchmarks/sysbench-cpu/?vcpus=%C2%B2",
        "/api/v1/benchmarks/sysbench-cpu/summary/?vcpus=%C2%B2",
        "/api/v1/benchmarks/sysbench-cpu/summary/?vcpus=99999999999999999999999",
        "/api/v1/runs/?submitted_after=2026-01-01T00:00:00-18:37",
        "/api/v1/runs/?vcpus=1e400",
    ],
)
def test_odd_query_values_are_answered_not_500(client, url):
    # Ignored (a filter that cannot match) or refused as invalid; never a server error.
    assert client.get(url).status_code in {200, 400}


def test_a_time_that_cannot_be_moved_to_utc_is_a_400(client):
    response = client.get("/api/v1/runs/?submitted_after=9999-12-31T23:00:00-18:37")
    assert response.status_code == 400


def test_an_offset_beyond_postgresqls_is_compared_in_utc(token_client, client):
    run_id = post(token_client, fio_payload()).json()["id"]
    found = client.get("/api/v1/runs/?submitted_after=2000-01-01T00:00:00-18:37").json()
    assert [run["id"] for run in found["results"]] == [run_id]


# --- races ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_one_key_and_different_bodies_all_get_409(
    small_catalog_dir, django_user_model
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is only real on PostgreSQL")
    load_catalog_dir(small_catalog_dir)
    load_benchmarks(REPO / "fixtures" / "benchmarks" / "benchmarks.yaml")
    user = django_user_model.objects.create_user("racer")

    def submit(index):
        from benchmarks.services import IdempotencyConflict

        payload = sysbench_run(3000.0 + index, cpu="Race CPU")
        try:
            prepared = RunSubmissionSerializer().run_validation(payload)
            run_submit(user=user, prepared=prepared, idempotency_key="same-key")
            return "stored"
        except IdempotencyConflict:
            return "409"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(submit, range(12)))

    assert sorted(outcomes) == ["409"] * 11 + ["stored"]
    assert Run.objects.count() == 1


# --- workload variants (issue #22): other parameters are kept apart, never refused ---------


def raw_run(fmt, name, **overrides):
    text = (DATA / name).read_text()
    return fio_payload(
        format=fmt, raw=json.loads(text) if fmt.endswith("json") else text, **overrides
    )


def test_sysbench_with_another_prime_limit_is_stored_as_its_own_variant(token_client, client):
    recommended = post(token_client, raw_run("sysbench", "sysbench/cpu-2s.txt"))
    prime = post(token_client, raw_run("sysbench", "sysbench/cpu-prime20000-2s.txt"))
    assert (recommended.status_code, prime.status_code) == (201, 201), prime.json()
    assert (recommended.json()["variant"], prime.json()["variant"]) == ("", "cpu-max-prime=20000")
    assert prime.json()["workload"]["cpu-max-prime"] == "20000"
    summary = client.get("/api/v1/benchmarks/sysbench-cpu/summary/").json()
    assert [s["n"] for s in summary["series"]] == [1]  # the recommended run only
    variant = client.get(
        "/api/v1/benchmarks/sysbench-cpu/summary/", {"variant": "cpu-max-prime=20000"}
    ).json()
    assert [s["n"] for s in variant["series"]] == [1]
    assert variant["series"][0]["median"] != summary["series"][0]["median"]


def test_fio_at_another_queue_depth_is_not_mixed_into_the_recommended_chart(token_client, client):
    assert post(token_client, fio_payload()).json()["variant"] == ""
    qd1 = post(token_client, raw_run("fio-json", "fio/randread-4k-qd1-jsonplus.json")).json()
    assert qd1["variant"] == "iodepth=1"
    page = client.get("/benchmarks/fio-randread-4k/").content.decode()
    assert "1 workload variant" in page
    runs = client.get("/api/v1/runs/", {"variant": "iodepth=1"}).json()["results"]
    assert [run["id"] for run in runs] == [qd1["id"]]


def test_typed_in_figures_can_name_their_workload(token_client):
    body = post(token_client, normalized(workload={"threads": 8})).json()
    assert (body["variant"], body["workload"]) == ("threads=8", {"threads": "8"})
    assert_refused(post(token_client, normalized(workload=["threads"])), field="workload")


def test_a_lone_surrogate_in_a_field_name_is_a_400_not_a_500(token_client):
    # Found by the fuzzing harness: the error named the field as sent, and the renderer
    # could not encode it.
    response = post_text(token_client, json.dumps({**fio_payload(), "\ud800x": 1}))
    assert_refused(response)
    assert "\\ud800x" in response.json()["detail"]

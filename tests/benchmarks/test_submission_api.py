import json

import pytest
from helpers import DATA

from benchmarks.models import Environment, Result, Run

URL = "/api/v1/runs/"
ENV = {"cpu_model": "Test CPU 9000", "cores": 8, "memory_gb": 32}
pytestmark = pytest.mark.usefixtures("benchmark_catalog")


def fio_payload(**overrides):
    payload = {
        "format": "fio-json",
        "platform": "alpha",
        "release": "2.0",
        "environment": ENV,
        "vm": {"vcpus": 4, "memory_gb": 8, "guest_os": "Debian 12"},
        "raw": json.loads((DATA / "fio" / "randread-4k-qd32.json").read_text()),
    }
    payload.update(overrides)
    return payload


def post(client, payload, **extra):
    return client.post(URL, json.dumps(payload), content_type="application/json", **extra)


def db_counts():
    return (Run.objects.count(), Result.objects.count(), Environment.objects.count())


def test_fio_json_is_stored_with_exactly_the_numbers_in_the_file(token_client):
    raw = json.loads((DATA / "fio" / "randread-4k-qd32.json").read_text())
    response = post(token_client, fio_payload())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["benchmark"] == "fio-randread-4k"
    assert body["status"] == "accepted"
    assert body["url"] == f"/runs/{body['id']}/"
    results = {r["metric"]: r for r in body["results"] if r["job"] == ""}
    read = raw["jobs"][0]["read"]
    assert results["read-iops"]["value"] == pytest.approx(read["iops"])
    assert results["read-iops"]["unit"] == "IOPS"
    assert results["read-bw"]["value"] == pytest.approx(read["bw_bytes"] / 1024 / 1024)
    assert results["read-lat-mean"]["value"] == pytest.approx(read["clat_ns"]["mean"] / 1000)
    p99 = read["clat_ns"]["percentile"]["99.000000"] / 1000
    assert results["read-lat-p99"]["value"] == pytest.approx(p99)
    run = Run.objects.get(pk=body["id"])
    assert json.loads(run.raw_payload) == raw
    assert run.submitter.username == "submitter"


def test_a_new_run_is_answered_as_stored_in_a_fixed_number_of_queries(
    token_client, django_assert_num_queries
):
    # Token, releases, metrics, environment, whether the account is trusted, host history,
    # the benchmark's history on every host (this host has fewer than 3 runs), run, results,
    # catalogue version, plus the
    # savepoint pair around the store: no lookup before the insert (the unique measurement
    # hash answers repeats) and no read-back after it. The host is known already.
    other = json.loads((DATA / "fio" / "randread-4k-qd1-jsonplus.json").read_text())
    assert post(token_client, fio_payload(raw=other)).status_code == 201
    with django_assert_num_queries(12):
        created = post(token_client, fio_payload())
    assert created.status_code == 201
    stored = token_client.get(f"{URL}{created.json()['id']}/")
    assert created.json() == stored.json()


def test_the_raw_payload_can_be_downloaded_verbatim(token_client, client):
    text = (DATA / "sysbench" / "cpu-2s.txt").read_text()
    body = post(
        token_client,
        {"format": "sysbench", "platform": "bare-metal", "environment": ENV, "raw": text},
    ).json()
    response = client.get(f"/runs/{body['id']}/raw?download=1")
    assert response.content.decode() == text
    assert response["Content-Disposition"].startswith("attachment;")


def test_same_content_twice_creates_one_run_and_answers_200(token_client):
    first = post(token_client, fio_payload())
    second = post(token_client, fio_payload())
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Run.objects.count() == 1


def test_idempotency_key_with_a_different_body_is_409(token_client):
    assert post(token_client, fio_payload(), HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    response = post(token_client, fio_payload(notes="changed"), HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 409
    assert "different body" in response.json()["detail"]
    assert Run.objects.count() == 1


def test_multipart_file_upload(token_client):
    with open(DATA / "iperf3" / "tcp-2s.json", "rb") as upload:
        response = token_client.post(
            URL,
            {
                "format": "iperf3-json",
                "platform": "alpha",
                "release": "2.0",
                "environment": json.dumps(ENV),
                "file": upload,
            },
        )
    assert response.status_code == 201, response.json()
    assert response.json()["benchmark"] == "iperf3-tcp"


def test_normalized_submission(token_client):
    payload = {
        "format": "normalized",
        "platform": "alpha",
        "release": "2.0",
        "environment": ENV,
        "benchmark": "sysbench-cpu",
        "results": [{"metric": "events-per-second", "value": 1234.5, "unit": "events/s"}],
    }
    response = post(token_client, payload)
    assert response.status_code == 201, response.json()
    assert response.json()["results"][0]["value"] == 1234.5


def test_anonymous_write_is_401_and_reads_are_public(client, token_client):
    run_id = post(token_client, fio_payload()).json()["id"]
    client.defaults.pop("HTTP_AUTHORIZATION", None)
    anonymous = post(client, fio_payload(notes="anon"))
    assert anonymous.status_code == 401
    assert set(anonymous.json()) == {"detail", "errors"}
    assert client.get(f"{URL}{run_id}/").status_code == 200
    assert client.get(f"/runs/{run_id}/").status_code == 200


@pytest.mark.parametrize(
    ("payload", "status", "field", "message"),
    [
        ("{not json", 400, None, "Malformed JSON"),
        (fio_payload(platform="vmware-workstation"), 400, "platform", "Unknown platform"),
        (fio_payload(release="99"), 400, "release", "Unknown release '99' of alpha"),
        (fio_payload(format="iometer"), 400, "format", "Expected one of"),
        (fio_payload(environment={}), 400, "environment.cpu_model", "Required"),
        (fio_payload(environment={**ENV, "cores": -4}), 400, "environment.cores", "positive"),
        (fio_payload(raw={"fio version": "fio-3.33"}), 400, "raw", "no 'jobs'"),
        (fio_payload(raw='{"jobs": [{"jobname"'), 400, "raw", ""),
        (
            {
                "format": "normalized",
                "platform": "alpha",
                "release": "2.0",
                "environment": ENV,
                "benchmark": "sysbench-cpu",
                "results": [{"metric": "events-per-second", "value": 5, "unit": "ops/s"}],
            },
            400,
            "results.0",
            "does not match metric",
        ),
        (
            {
                "format": "normalized",
                "platform": "alpha",
                "release": "2.0",
                "environment": ENV,
                "benchmark": "sysbench-cpu",
                "results": [{"metric": "events-per-second", "value": -5, "unit": "events/s"}],
            },
            400,
            "results.0",
            "non-negative",
        ),
        (
            {
                "format": "normalized",
                "platform": "alpha",
                "release": "2.0",
                "environment": ENV,
                "benchmark": "geekbench",
                "results": [{"metric": "score", "value": 5, "unit": "points"}],
            },
            400,
            "benchmark",
            "Unknown benchmark 'geekbench'",
        ),
        (fio_payload(raw="x" * (1024 * 1024 + 10)), 413, "raw", "byte limit"),
        ('{"a":' * 200 + "1" + "}" * 200, 400, None, "nested deeper"),
        ('{"value": NaN}', 400, None, "NaN is not valid JSON"),
    ],
    ids=[
        "malformed-json",
        "unknown-platform",
        "unknown-release",
        "unknown-format",
        "missing-cpu",
        "negative-cores",
        "foreign-json",
        "truncated-output",
        "wrong-unit",
        "negative-value",
        "unknown-benchmark",
        "raw-too-large",
        "deeply-nested",
        "non-finite",
    ],
)
def test_bad_input_gets_a_4xx_naming_the_problem_and_stores_nothing(
    token_client, payload, status, field, message
):
    before = db_counts()
    body = payload if isinstance(payload, str) else json.dumps(payload)
    response = token_client.post(URL, body, content_type="application/json")
    assert response.status_code == status, response.content
    data = response.json()
    assert set(data) == {"detail", "errors"}
    assert message in data["detail"] + json.dumps(data["errors"])
    if field:
        assert field in data["errors"], data
    assert db_counts() == before


def test_a_body_over_the_limit_is_413_before_parsing(token_client):
    body = json.dumps(fio_payload(notes="x" * (3 * 1024 * 1024)))
    response = token_client.post(URL, body, content_type="application/json")
    assert response.status_code == 413
    assert Run.objects.count() == 0


def test_throughput_above_line_rate_is_flagged(token_client):
    payload = {
        "format": "iperf3-json",
        "platform": "alpha",
        "release": "2.0",
        "environment": {**ENV, "nic_speed_gbps": 1},
        "raw": json.loads((DATA / "iperf3" / "tcp-2s.json").read_text()),
    }
    body = post(token_client, payload).json()
    assert body["status"] == "flagged"
    assert "line rate" in body["status_reason"]


def test_value_far_from_the_same_hosts_runs_is_flagged(token_client):
    def sysbench(value, note):
        return {
            "format": "normalized",
            "platform": "alpha",
            "release": "2.0",
            "environment": ENV,
            "benchmark": "sysbench-cpu",
            "results": [{"metric": "events-per-second", "value": value, "unit": "events/s"}],
            "notes": note,
        }

    for index, value in enumerate([1000, 1010, 990]):
        assert post(token_client, sysbench(value, str(index))).json()["status"] == "accepted"
    assert post(token_client, sysbench(1005, "ok")).json()["status"] == "accepted"
    flagged = post(token_client, sysbench(100_000, "typo")).json()
    assert flagged["status"] == "flagged"
    assert "median" in flagged["status_reason"]


def test_submissions_are_throttled_per_token_with_retry_after(token_client, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"submissions": "2/min"})
    codes = [post(token_client, fio_payload(notes=f"n{i}")).status_code for i in range(3)]
    assert codes == [201, 200, 429]  # the same output with other notes is the stored run
    limited = post(token_client, fio_payload(notes="n9"))
    assert int(limited["Retry-After"]) > 0
    assert set(limited.json()) == {"detail", "errors"}
    cache.clear()


@pytest.mark.parametrize(
    "payload",
    [
        {"format": {}, "platform": "alpha"},
        {"format": ["fio-json"], "platform": ["alpha"], "environment": []},
        {
            "format": "normalized",
            "platform": "alpha",
            "release": "2.0",
            "environment": ENV,
            "benchmark": "sysbench-cpu",
            "results": [{"metric": {}, "value": 1, "unit": "events/s", "job": []}],
        },
    ],
)
def test_wrongly_typed_fields_are_a_400_not_a_500(token_client, payload):
    response = post(token_client, payload)
    assert response.status_code == 400
    assert Run.objects.count() == 0


def test_unknown_api_urls_answer_json_404(client):
    from django.test import override_settings

    with override_settings(DEBUG=False):
        response = client.get("/api/v1/runs/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_gzip_encoded_bodies_are_refused_not_inflated(token_client):
    import gzip

    body = gzip.compress(json.dumps(fio_payload()).encode())
    response = token_client.post(
        URL, body, content_type="application/json", HTTP_CONTENT_ENCODING="gzip"
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.json()["detail"]
    assert Run.objects.count() == 0


def test_throttle_counts_live_in_redis_so_every_worker_sees_them(token_client, settings):
    import socket

    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache
    from rest_framework.throttling import ScopedRateThrottle

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    url = "redis://127.0.0.1:6379/15"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    ScopedRateThrottle.cache = caches["default"]
    try:
        caches["default"].clear()
        assert post(token_client, fio_payload(notes="redis")).status_code == 201
        other_worker = RedisCache(url, {})  # a separate connection, as another process has
        keys = [
            k for k in other_worker._cache.get_client().keys("*") if b"throttle_submissions" in k
        ]
        assert len(keys) == 1
    finally:
        caches["default"].clear()
        from django.core.cache import cache as default_cache

        ScopedRateThrottle.cache = default_cache


def test_run_list_filters_like_the_chart_page(token_client):
    post(token_client, fio_payload())
    sysbench = {
        "format": "normalized",
        "platform": "bare-metal",
        "environment": ENV,
        "benchmark": "sysbench-cpu",
        "results": [{"metric": "events-per-second", "value": 10, "unit": "events/s"}],
    }
    post(token_client, sysbench)

    def slugs(query):
        return [r["benchmark"] for r in token_client.get(f"{URL}?{query}").json()["results"]]

    assert slugs("benchmark=sysbench-cpu") == ["sysbench-cpu"]
    assert slugs("platform=alpha&release=2.0") == ["fio-randread-4k"]
    assert slugs("status=flagged") == []
    assert len(slugs("submitted_after=2000-01-01T00:00:00Z")) == 2


def standard_run_submissions():
    """What one standard kit run sends: every benchmark of the suite, iperf3 included, once
    per repeat."""
    from benchmarks.kit import kit_file

    spec = kit_file().module.SUITES["standard"]
    return (len(spec["benchmarks"]) + len(spec["network"])) * spec["repeat"]


def test_the_throttle_is_sized_for_a_host_and_three_vms_of_standard_runs():
    from rest_framework.throttling import ScopedRateThrottle

    count, seconds = ScopedRateThrottle().parse_rate(
        ScopedRateThrottle.THROTTLE_RATES["submissions"]
    )
    assert seconds == 3600
    assert count >= 4 * standard_run_submissions()


def test_a_whole_standard_runs_submissions_are_accepted_at_the_default_rate(token_client):
    def sysbench(index):
        return {
            "format": "normalized",
            "platform": "alpha",
            "release": "2.0",
            "environment": ENV,
            "benchmark": "sysbench-cpu",
            "results": [{"metric": "events-per-second", "value": 1000 + index, "unit": "events/s"}],
        }

    codes = [post(token_client, sysbench(i)).status_code for i in range(standard_run_submissions())]
    assert codes == [201] * standard_run_submissions()

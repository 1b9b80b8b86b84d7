"""Scaling out: two app instances (gunicorn, different ports) sharing one PostgreSQL and one
Redis. An edit through one instance's admin shows on the other at once (the matrix cache is
keyed by the catalogue version in the database), and the submission throttle counts
requests to both instances together (its counters live in Redis)."""

import json
import os
import subprocess
import time

import pytest
import requests
from helpers import REPO, database_env, without_tokens

pytestmark = pytest.mark.django_db(transaction=True)
PORTS = (8781, 8782)
REDIS_URL = "redis://127.0.0.1:6379/12"
MATRIX = "/compare/?platforms=alpha,beta"


def redis_available() -> bool:
    return (
        subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], capture_output=True).returncode
        == 0
    )


@pytest.fixture
def two_instances(benchmark_catalog, django_user_model):
    from rest_framework.authtoken.models import Token

    env = database_env()
    if not redis_available():
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("Redis is required for the scale-out test in CI")
        pytest.skip("Redis is not running")
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    curator = django_user_model.objects.create_superuser("curator", "c@example.org")
    # The servers run the product's settings, which do not know the tests' fast hasher.
    hasher = PBKDF2PasswordHasher()
    curator.password = hasher.encode("pass-for-tests", hasher.salt())
    curator.save()
    token = Token.objects.create(user=django_user_model.objects.create_user("submitter")).key
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",  # the product's settings, not the tests'
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=REDIS_URL,
        VIRTCOMPARE_SUBMIT_RATE="4/hour",
    )
    gunicorn = str(REPO / ".venv" / "bin" / "gunicorn")
    servers = [
        subprocess.Popen(
            [gunicorn, "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=REPO,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        for port in PORTS
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in PORTS]
        for url in urls:
            for _ in range(100):
                try:
                    if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                        break
                except requests.ConnectionError:
                    time.sleep(0.2)
        yield urls, token
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], capture_output=True)


def test_an_admin_edit_on_one_instance_shows_on_the_other_within_a_second(two_instances):
    from comparisons.models import Claim

    (first, second), _ = two_instances
    before = requests.get(second + MATRIX, timeout=30).text
    warm = requests.get(second + MATRIX, timeout=30).text  # from the cache
    assert without_tokens(warm) == without_tokens(before)
    flags = before.count("disputed</span>")  # the legend explains the flag too

    admin = requests.Session()
    login = admin.get(f"{first}/admin/login/", timeout=30)
    csrf = login.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    admin.post(
        f"{first}/admin/login/",
        {"username": "curator", "password": "pass-for-tests", "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{first}/admin/login/"},
        timeout=30,
    )
    claim = Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")
    changelist = f"{first}/admin/comparisons/claim/"
    page = admin.get(changelist, timeout=30)
    csrf = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    done = admin.post(
        changelist,
        {"action": "mark_disputed", "_selected_action": [claim.pk], "csrfmiddlewaretoken": csrf},
        headers={"Referer": changelist},
        timeout=30,
    )
    assert done.status_code == 200
    claim.refresh_from_db()
    assert claim.status == "disputed"
    edited = time.monotonic()

    # Each process re-reads the catalogue version at most once per second
    # (CatalogVersion.MAX_STALENESS): the edit shows within that bound, plus a request.
    while requests.get(second + MATRIX, timeout=30).text.count("disputed</span>") == flags:
        assert time.monotonic() - edited < 1.0 + 1.5, "the edit did not show on the other instance"
        time.sleep(0.05)


def test_the_submission_throttle_counts_across_both_instances(two_instances):
    urls, token = two_instances
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def submit(url, n):
        body = {
            "format": "normalized",
            "platform": "alpha",
            "release": "2.0",
            "environment": {"cpu_model": "Scale-out host"},
            "benchmark": "sysbench-cpu",
            "results": [{"metric": "events-per-second", "value": 1000 + n, "unit": "events/s"}],
            "notes": f"two instances {n}",
        }
        return requests.post(f"{url}/api/v1/runs/", data=json.dumps(body), headers=headers)

    codes = [submit(urls[n % 2], n).status_code for n in range(6)]
    assert codes[:4] == [201, 201, 201, 201]  # two on each instance: the limit of 4 in all
    assert codes[4:] == [429, 429]
    refused = submit(urls[1], 99)
    assert int(refused.headers["Retry-After"]) > 0

"""The catalogue snapshot: built once per version, shared through the cache, replaced by an
edit within the documented staleness bound, on this instance and on another."""

import os
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from helpers import REPO

from comparisons import selectors, snapshot
from comparisons.models import CatalogVersion, Claim

pytestmark = pytest.mark.django_db


def count_queries(read) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        found = read()
    return found, len(captured)


def vcpus_of_alpha() -> float:
    claim = next(
        c
        for c in selectors.claim_infos(["alpha"])
        if c.feature == "max-vcpus-per-vm" and c.until_position is None
    )
    return claim.value


def test_reads_come_from_one_snapshot_per_version(loaded_small_catalog):
    first, built = count_queries(snapshot.get)
    again, warm = count_queries(snapshot.get)
    assert built >= 6  # the version, platforms, releases, citations, and 2 per language
    assert warm == 0
    assert again is first
    assert {p.slug for p in first.platforms} >= {"alpha", "beta"}
    assert set(first.features) == {"en", "zh-hans"}


def test_another_process_loads_the_shared_blob_instead_of_rebuilding(loaded_small_catalog):
    built = snapshot.get()
    snapshot.current.forget()  # as a process that has not built it would start
    CatalogVersion.forget()
    loaded, queries = count_queries(snapshot.get)
    assert queries == 1  # the version row only: the data came from the cache
    assert loaded is not built
    assert loaded.key == built.key
    assert loaded.claims == built.claims
    assert cache.get(snapshot.CACHE_PREFIX + built.key) is not None


def test_an_edit_in_this_process_shows_at_once(loaded_small_catalog):
    before = vcpus_of_alpha()
    claim = Claim.objects.get(
        platform__slug="alpha", feature__slug="max-vcpus-per-vm", release_until=None
    )
    claim.value = before + 16
    claim.save()
    assert vcpus_of_alpha() == before + 16


def test_the_version_is_read_at_most_once_per_second(loaded_small_catalog, monkeypatch):
    monkeypatch.setattr(CatalogVersion, "MAX_STALENESS", 1.0)  # the production bound
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    CatalogVersion.forget()
    _, first = count_queries(CatalogVersion.current)
    clock[0] += CatalogVersion.MAX_STALENESS / 2
    _, within = count_queries(CatalogVersion.current)
    clock[0] += CatalogVersion.MAX_STALENESS
    _, after = count_queries(CatalogVersion.current)
    assert (first, within, after) == (1, 0, 1)


# Another instance: a process of its own reading the same database, printing the value it
# serves each time it changes.
READER = """
import sys, time
import django
django.setup()
from comparisons import selectors
seen = None
stop = time.monotonic() + 20
while time.monotonic() < stop:
    claim = next(c for c in selectors.claim_infos(["alpha"])
                 if c.feature == "max-vcpus-per-vm" and c.until_position is None)
    if claim.value != seen:
        seen = claim.value
        print(f"{time.time():.3f} {seen}", flush=True)
        if seen == 999:
            break
    time.sleep(0.02)
"""


@pytest.mark.django_db(transaction=True)
def test_an_edit_shows_on_another_instance_within_the_staleness_bound(loaded_small_catalog):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can open (PostgreSQL)")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="portal.settings")
    env.setdefault("DJANGO_DEBUG", "1")
    other = subprocess.Popen(
        [sys.executable, "-c", READER], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        first = other.stdout.readline().split()
        assert first
        assert float(first[1]) == vcpus_of_alpha()
        Claim.objects.filter(
            platform__slug="alpha", feature__slug="max-vcpus-per-vm", release_until=None
        ).update(value=999)
        CatalogVersion.bump()  # as the save signal does (committed: no transaction here)
        edited_at = time.time()
        seen_at, value = other.stdout.readline().split()
        lag = float(seen_at) - edited_at
        assert float(value) == 999
        print(f"edit seen by the other instance after {lag:.2f} s")
        assert lag <= 1.0 + 0.5  # the bound, plus a rebuild
    finally:
        other.kill()
        other.wait()
        other.stdout.close()

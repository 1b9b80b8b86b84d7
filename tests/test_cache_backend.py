"""The Redis cache backend reuses one client per pool and behaves like Django's own."""

import subprocess

import pytest

from portal.cache import ReusingRedisCache

URL = "redis://127.0.0.1:6379/10"


@pytest.fixture
def redis_cache():
    if subprocess.run(["redis-cli", "-u", URL, "ping"], capture_output=True).returncode:
        pytest.skip("Redis is not running")
    cache = ReusingRedisCache(URL, {})
    cache.clear()
    yield cache
    cache.clear()


def test_values_round_trip_and_expire_like_djangos_backend(redis_cache):
    redis_cache.set("page", (b"\x00bytes", {"Content-Type": "text/html"}), 60)
    assert redis_cache.get("page") == (b"\x00bytes", {"Content-Type": "text/html"})
    redis_cache.set("gone", 1, 0)  # timeout 0 = do not keep
    assert redis_cache.get("gone") is None
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache
    assert client.get_client(write=True) is client.get_client(write=False)

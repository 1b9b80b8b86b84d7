"""Fixed-window rate limits in the cache, for the forms that create accounts and tokens."""

from __future__ import annotations

import time

from django.core.cache import cache


def allow(scope: str, who: str, *, limit: int, window: int) -> bool:
    """True while `who` has made fewer than `limit` attempts at `scope` in this window."""
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{who}:{bucket}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit


def client_address(request) -> str:
    """The address the limit counts against: REMOTE_ADDR, which the deployment's proxy sets."""
    return request.META.get("REMOTE_ADDR", "unknown")

"""Reader corrections: the rate limit, as a pure function of a counter store and the time."""

from __future__ import annotations

from dataclasses import dataclass

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """'5/hour' -> Rate(5, 3600); also s/m/h/d like DRF's throttle rates."""
    count, _, period = text.partition("/")
    unit = next((seconds for name, seconds in PERIODS.items() if name[0] == period[:1]), None)
    if not count.strip().isdigit() or unit is None or int(count) < 1:
        raise ValueError(f"not a rate: {text!r} (expected e.g. '5/hour')")
    return Rate(int(count), unit)


def window_key(ident: str, rate: Rate, now: float) -> str:
    """One counter per client and fixed window; the window number is part of the key, so an
    old counter is never read again and simply expires."""
    return f"corrections:{ident}:{int(now // rate.seconds)}"


def allow(store, ident: str, rate: Rate, now: float) -> bool:
    """Count one attempt for `ident`; False once the window's allowance is used up.
    `store` is a Django cache (add/incr): atomic on Redis, per process on locmem."""
    key = window_key(ident, rate, now)
    if store.add(key, 1, timeout=rate.seconds + 1):
        return True
    try:
        return store.incr(key) <= rate.count
    except ValueError:  # expired between add and incr
        store.add(key, 1, timeout=rate.seconds + 1)
        return True

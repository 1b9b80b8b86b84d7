"""Reads from a PostgreSQL read replica, writes to the primary (only when
DATABASE_REPLICA_URL is set).

A replica lags the primary by a moment, so whoever just wrote reads their own writes from
the primary: every request that is not a safe method runs entirely on the primary, and so
do the next PIN_SECONDS of requests from the same signed-in user or token (marked in the
shared cache, so it holds across instances).
"""

import contextvars

from django.core.cache import cache

PIN_SECONDS = 10
_on_primary = contextvars.ContextVar("on_primary", default=False)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _pin_key(user_id) -> str:
    return f"db-pin:{user_id}"


def reads_from_primary(method: str, pinned: bool) -> bool:
    return method not in SAFE_METHODS or pinned


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return "default" if _on_primary.get() else "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two connections

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PinWritersToPrimaryMiddleware:
    """Sits after authentication middleware; DRF token users are resolved inside the view,
    so for them the pin is keyed by the Authorization header's token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        who = _client_id(request)
        pinned = bool(who and cache.get(_pin_key(who)))
        token = _on_primary.set(reads_from_primary(request.method, pinned))
        try:
            response = self.get_response(request)
        finally:
            _on_primary.reset(token)
        if who and request.method not in SAFE_METHODS and response.status_code < 400:
            cache.set(_pin_key(who), True, PIN_SECONDS)
        return response


def _client_id(request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Token "):
        return "token:" + header[6:][:64]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None

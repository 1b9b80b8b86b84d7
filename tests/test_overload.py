"""Overload and database outages answer fast, retryable 503s instead of hanging or 500."""

import json
import threading
import time

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory

from portal.middleware import LoadSheddingMiddleware


@pytest.fixture
def one_slot(settings):
    settings.MAX_IN_FLIGHT = 1
    settings.QUEUE_WAIT = 0.2


def test_a_request_beyond_the_limit_is_refused_fast_with_retry_after(one_slot):
    inside, release = threading.Event(), threading.Event()

    def slow_view(request):
        inside.set()
        release.wait(5)
        return HttpResponse("done")

    middleware = LoadSheddingMiddleware(slow_view)
    first = {}
    worker = threading.Thread(
        target=lambda: first.update(r=middleware(RequestFactory().get("/compare/")))
    )
    worker.start()
    assert inside.wait(5)
    started = time.monotonic()
    refused = middleware(RequestFactory().get("/api/v1/claims/"))
    waited = time.monotonic() - started
    release.set()
    worker.join()
    assert refused.status_code == 503
    assert refused["Retry-After"] == "1"
    assert json.loads(refused.content)["detail"] == "Too busy, retry shortly."
    assert 0.15 < waited < 2
    assert first["r"].status_code == 200
    # The slot is free again: the next request runs.
    assert middleware(RequestFactory().get("/compare/")).status_code == 200


def test_health_checks_are_never_shed(one_slot):
    blocked = LoadSheddingMiddleware(lambda request: HttpResponse("ok"))
    blocked.slots.acquire()
    assert blocked(RequestFactory().get("/healthz")).status_code == 200
    assert blocked(RequestFactory().get("/compare/")).status_code == 503


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "is_api"), [("/api/v1/matrix/?platforms=alpha,beta", True), ("/compare/", False)]
)
def test_an_unreachable_database_is_a_503_with_retry_after(
    loaded_small_catalog, monkeypatch, url, is_api
):
    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("comparisons.selectors.matrix_page", down)
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if is_api:
        assert response.json() == {"detail": "Database unavailable, retry shortly.", "errors": {}}
    else:
        assert "Temporarily unavailable" in response.content.decode()


@pytest.mark.django_db
def test_other_server_errors_stay_500(loaded_small_catalog, monkeypatch):
    monkeypatch.setattr("comparisons.selectors.matrix_page", lambda *a, **k: 1 / 0)
    response = Client(raise_request_exception=False).get("/api/v1/matrix/?platforms=alpha,beta")
    assert response.status_code == 500
    assert "Retry-After" not in response

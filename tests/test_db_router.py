"""Read-replica routing: safe reads go to the replica; writes, and a writer's reads for the
next seconds, go to the primary."""

from types import SimpleNamespace

from django.http import HttpResponse
from django.test import RequestFactory

from portal.db_router import PinWritersToPrimaryMiddleware, PrimaryReplicaRouter

router = PrimaryReplicaRouter()


def routed(method: str, token: str | None = None, status: int = 200) -> str:
    """The database a read inside this request would use."""
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(None)
        return HttpResponse(status=status)

    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    request = getattr(RequestFactory(), method.lower())("/api/v1/runs/", **headers)
    request.user = SimpleNamespace(is_authenticated=False)
    PinWritersToPrimaryMiddleware(view)(request)
    return seen["db"]


def test_anonymous_reads_use_the_replica_and_writes_the_primary():
    assert routed("GET") == "replica"
    assert routed("POST") == "default"
    assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "replica"  # outside a request: no pin left behind


def test_a_submitter_reads_their_own_writes_from_the_primary():
    assert routed("GET", token="abc") == "replica"
    assert routed("POST", token="abc", status=201) == "default"
    assert routed("GET", token="abc") == "default"  # pinned for a few seconds
    assert routed("GET", token="someone-else") == "replica"


def test_a_refused_write_does_not_pin():
    routed("POST", token="bad", status=400)
    assert routed("GET", token="bad") == "replica"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "comparisons")
    assert not router.allow_migrate("replica", "comparisons")

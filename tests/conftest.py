import copy

import pytest
from helpers import REPO, SMALL_CATALOG, write_catalog


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Sessions that servers and subprocesses left on the test database end before it is
    dropped: PostgreSQL refuses to drop a database another session still uses, and a
    killed client's backend or a keep-alive request thread can outlive its test by a
    moment (CI once failed at teardown on "1 other session using the database")."""
    yield
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connections.close_all()


@pytest.fixture
def small_catalog():
    """A deep copy of the small catalogue, to modify per test."""
    return copy.deepcopy(SMALL_CATALOG)


@pytest.fixture
def small_catalog_dir(tmp_path, small_catalog):
    return write_catalog(tmp_path / "catalog", small_catalog)


@pytest.fixture
def loaded_small_catalog(db, small_catalog_dir):
    from comparisons.services import load_catalog_dir

    load_catalog_dir(small_catalog_dir)
    return small_catalog_dir


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and throttle counts never leak from one test into the next (the
    database rolls back, so catalogue versions repeat across tests)."""
    from django.core.cache import cache

    from benchmarks.selectors import by_data_version
    from comparisons import snapshot
    from comparisons.conditional import responses
    from comparisons.models import CatalogVersion

    cache.clear()
    snapshot.current.forget()
    CatalogVersion.forget()
    by_data_version.state = responses.state = None


@pytest.fixture(autouse=True)
def version_read_once(monkeypatch):
    """Query counts do not depend on how long a test takes: within a test the catalogue
    version is re-read only after a bump (tests of the staleness bound set their own)."""
    from comparisons.models import CatalogVersion

    monkeypatch.setattr(CatalogVersion, "MAX_STALENESS", 3600.0)
    return


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English, whatever language an earlier request activated."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def benchmark_catalog(db, small_catalog_dir):
    """The small test catalogue plus a bare-metal baseline and the real benchmark list."""
    from benchmarks.services import load_benchmarks
    from comparisons.services import load_catalog_dir

    bare = small_catalog_dir / "platforms" / "bare-metal.yaml"
    bare.write_text((REPO / "fixtures/catalog/platforms/bare-metal.yaml").read_text())
    load_catalog_dir(small_catalog_dir)
    load_benchmarks(REPO / "fixtures" / "benchmarks" / "benchmarks.yaml")


@pytest.fixture
def submitter(django_user_model):
    return django_user_model.objects.create_user("submitter")


@pytest.fixture
def token_client(client, submitter):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=submitter)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def _takes_long(item) -> bool:
    """Browser tests and the reliability tests (servers, subprocesses, whole databases):
    a few modules of tens of seconds each, among hundreds that take a second or two."""
    return item.get_closest_marker("browser") is not None or "reliability" in item.path.parts


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Longest first on xdist workers: each module goes whole to one worker (--dist loadfile),
    so a long module handed out last keeps one worker busy while the other idles. The long
    ones start first and the short ones fill in around them (scripts/run_tests.sh passes
    --no-loadscope-reorder, which keeps this order instead of most-tests-first). A stable
    sort: pytest-randomly's order holds within both groups."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: not _takes_long(item))

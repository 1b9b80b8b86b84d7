import os

import pytest

CHROMIUM = "/usr/bin/chromium"
# The statements a test that only reads never sends.
WRITES = {"INSERT", "UPDATE", "DELETE", "TRUNCATE", "REPLACE", "CREATE", "ALTER", "DROP"}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself (fixtures, assertions) are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def shared_db(django_db_setup, django_db_blocker):
    """Database access for a module whose tests only read the same data: loading the shipped
    site once per module instead of once per test is most of what the browser tests cost.
    What the module loads is committed, as in a transactional test, and flushed after the
    module exactly as after one (TransactionTestCase's flush), so the next module starts empty.
    """
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        # pytest-django creates the test database when a test of the session is marked for
        # it; a run of only such modules has none, and this must never reach the real one.
        own = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            own = setup_databases(verbosity=0, interactive=False, aliases={connection.alias})
        yield
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            reset_sequences=False,
            allow_cascade=False,
            inhibit_post_migrate=False,
        )
        if own is not None:
            teardown_databases(own, verbosity=0)


@pytest.fixture(scope="module")
def shared_data(shared_db):
    """What the tests of a module using `shared_server` read: each such module defines it."""
    pytest.fail("a module using shared_server defines a module-scoped shared_data fixture")


@pytest.fixture(scope="module")
def shared_server(shared_db, shared_data):
    """A live server over the module's `shared_data`, refusing every write: a statement that
    would change the data (from the test or from a request it makes) fails there and fails
    the test (`_only_reads`), so no test can see what another one left behind."""
    import threading

    from django.db import connections
    from django.db.backends.signals import connection_created
    from pytest_django.live_server_helper import LiveServer

    writes: list[str] = []

    def refuse_writes(execute, sql, params, many, context):
        if sql.lstrip().split(None, 1)[0].upper() in WRITES:
            writes.append(sql[:200])
            raise AssertionError(f"a test sharing its module's data wrote to it: {sql[:200]}")
        return execute(sql, params, many, context)

    tests_thread = threading.current_thread()
    elsewhere = []  # connections that request threads opened

    def guard(connection, **kwargs):
        if refuse_writes not in connection.execute_wrappers:
            connection.execute_wrappers.append(refuse_writes)
        if threading.current_thread() is not tests_thread:
            elsewhere.append(connection)

    for connection in connections.all():
        guard(connection)
    # Request threads that do not share the test's connection (PostgreSQL) open their own.
    connection_created.connect(guard, dispatch_uid="shared_server")
    server = LiveServer("localhost")
    server.writes = writes
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()
    # A keep-alive request thread can outlive the server, holding its connection (kept for
    # CONN_MAX_AGE): closed here, or the test database could not be dropped at the end.
    for connection in elsewhere:
        if connection.connection is not None:
            connection.inc_thread_sharing()
            connection.close()
            connection.dec_thread_sharing()
    connection_created.disconnect(dispatch_uid="shared_server")
    for connection in connections.all():
        if refuse_writes in connection.execute_wrappers:
            connection.execute_wrappers.remove(refuse_writes)


@pytest.fixture(autouse=True)
def _only_reads(request):
    """A test on a `shared_server` leaves its module's data as it found it."""
    if "shared_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("shared_server")
    server.writes.clear()
    yield
    assert server.writes == [], "a test sharing its module's data wrote to the database"


def pytest_collection_modifyitems(items):
    """On SQLite the live server shares the test's in-memory connection with its request
    threads; a keep-alive thread that ends during teardown trips Django's thread-sharing
    check while closing it (a harmless race: server errors still show as 500s, and the
    PostgreSQL run keeps the warning)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    ignore = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(ignore)

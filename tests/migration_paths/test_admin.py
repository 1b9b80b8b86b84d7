import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from helpers import generated_catalog, write_catalog

from comparisons.services import load_catalog_dir
from migration_paths.models import MigrationStatement
from migration_paths.services import load_migrations_dir

from .test_pages import generated_migrations

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/migration_paths/migrationpath/",
        "/admin/migration_paths/migrationmethod/",
        "/admin/migration_paths/migrationstatement/",
    ],
)
def test_changelists_run_the_same_queries_at_two_sizes(admin_client_logged, tmp_path, url):
    load_catalog_dir(write_catalog(tmp_path / "catalog", generated_catalog(4, 2)))
    load_migrations_dir(write_catalog(tmp_path / "small", generated_migrations(2, 1, 1)))
    admin_client_logged.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as small:
        assert admin_client_logged.get(url).status_code == 200
    load_migrations_dir(write_catalog(tmp_path / "large", generated_migrations(4, 3, 3)))
    with CaptureQueriesContext(connection) as large:
        assert admin_client_logged.get(url).status_code == 200
    assert len(large) == len(small)


def test_publish_action_refuses_statements_without_a_citation(
    admin_client_logged, loaded_migrations
):
    draft = MigrationStatement.objects.get(status="draft")
    cited = MigrationStatement.objects.get(text__startswith="Copies")
    cited.status = "draft"
    cited.save()
    response = admin_client_logged.post(
        "/admin/migration_paths/migrationstatement/",
        {"action": "publish", "_selected_action": [draft.pk, cited.pk]},
        follow=True,
    )
    assert "1 statement(s) have no supporting citation." in response.content.decode()
    cited.refresh_from_db()
    draft.refresh_from_db()
    assert (cited.status, draft.status) == ("published", "draft")


def test_statement_change_page_shows_its_citations(admin_client_logged, loaded_migrations):
    statement = MigrationStatement.objects.get(text__startswith="Copies")
    page = admin_client_logged.get(
        f"/admin/migration_paths/migrationstatement/{statement.pk}/change/"
    )
    assert page.status_code == 200
    assert "alpha-docs" in page.content.decode() or "Alpha docs" in page.content.decode()

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from helpers import write_catalog

from comparisons.models import CatalogVersion
from migration_paths.models import (
    MigrationMethod,
    MigrationPath,
    MigrationStatement,
    StatementCitation,
)
from migration_paths.services import load_migrations_dir


def test_load_creates_paths_methods_statements_and_citations(loaded_migrations):
    assert MigrationPath.objects.count() == 2
    method = MigrationMethod.objects.get(slug="converter")
    assert (method.path.source.slug, method.path.target.slug) == ("alpha", "beta")
    assert [s.topic for s in method.statements.all()] == ["mode", "manual"]
    citation = StatementCitation.objects.get(statement__text__startswith="Copies")
    assert citation.source.key == "alpha-docs"
    assert citation.locator == "Convert"


def test_statements_take_their_methods_status_and_confidence(loaded_migrations):
    statement = MigrationStatement.objects.get(text__startswith="Copies")
    assert (statement.status, statement.confidence) == ("published", "high")
    assert MigrationStatement.objects.get(text__startswith="Draft").status == "draft"


def test_loading_twice_changes_nothing(loaded_migrations):
    history = MigrationStatement.history.count() + StatementCitation.history.count()
    report = load_migrations_dir(loaded_migrations)
    assert sum(report.created.values()) == sum(report.updated.values()) == 0
    assert MigrationStatement.history.count() + StatementCitation.history.count() == history


def test_a_method_removed_from_the_yaml_is_deleted(loaded_migrations, migrations):
    migrations["alpha.yaml"][0]["methods"].pop(1)
    write_catalog(loaded_migrations, migrations)
    load_migrations_dir(loaded_migrations)
    assert list(MigrationMethod.objects.values_list("slug", flat=True)) == ["converter"]


def test_an_edited_statement_keeps_its_history(loaded_migrations, migrations):
    statement = MigrationStatement.objects.get(text__startswith="Remove")
    migrations["alpha.yaml"][0]["methods"][0]["statements"][1]["text"] = "Remove the tools."
    write_catalog(loaded_migrations, migrations)
    load_migrations_dir(loaded_migrations)
    texts = [h.text for h in statement.history.order_by("history_date")]
    assert texts == ["Remove the Alpha tools first.", "Remove the tools."]


def test_loading_bumps_the_catalogue_version_once(loaded_small_catalog, migration_dir):
    before = CatalogVersion.objects.get(pk=1).version
    load_migrations_dir(migration_dir)
    assert CatalogVersion.objects.get(pk=1).version == before + 1


def test_an_admin_edit_bumps_the_catalogue_version(loaded_migrations):
    before = CatalogVersion.objects.get(pk=1).version
    MigrationStatement.objects.filter(text__startswith="Remove").get().save()
    assert CatalogVersion.objects.get(pk=1).version == before + 1


def test_command_refuses_an_invalid_tree_and_loads_nothing(
    loaded_small_catalog, migration_dir, migrations
):
    migrations["beta.yaml"] = [{"to": "nowhere", "summary": "x"}]
    write_catalog(migration_dir, migrations)
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_migrations", str(migration_dir))
    assert MigrationPath.objects.count() == 0


def test_command_reports_what_it_loaded(loaded_small_catalog, migration_dir, capsys):
    call_command("load_migrations", str(migration_dir))
    assert "migration paths: 2 new" in capsys.readouterr().out


def test_publishing_a_statement_needs_a_supporting_citation(loaded_migrations):
    from django.core.exceptions import ValidationError

    draft = MigrationStatement.objects.get(status="draft")
    with pytest.raises(ValidationError):
        draft.publish()
    StatementCitation.objects.create(
        statement=draft, source=StatementCitation.objects.first().source, quote="Yes."
    )
    draft.publish()
    draft.refresh_from_db()
    assert draft.status == "published"


def test_export_then_load_round_trips_without_a_change(loaded_migrations, tmp_path):
    out = tmp_path / "exported"
    call_command("export_migrations", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["alpha.yaml", "beta.yaml"]
    report = load_migrations_dir(out)
    assert sum(report.created.values()) == sum(report.updated.values()) == 0


def test_summaries_and_statements_read_in_chinese_with_english_filling_gaps(loaded_migrations):
    path = MigrationPath.objects.get(source__slug="alpha")
    copies, remove = MigrationStatement.objects.filter(method__slug="converter")
    assert (path.summary_en, path.summary_zh_hans) == (
        "Alpha to Beta has a converter.",
        "Alpha 到 Beta 有转换工具。",
    )
    assert (remove.text_en, remove.text_zh_hans) == ("Remove the Alpha tools first.", "")
    with translation.override("zh-hans"):
        assert path.summary == "Alpha 到 Beta 有转换工具。"
        assert copies.text == "运行时复制，然后短暂切换。"
        assert remove.text == "Remove the Alpha tools first."  # no Chinese: the English
    assert path.summary == "Alpha to Beta has a converter."

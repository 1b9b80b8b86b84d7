"""The migration YAML's rules, checked without a database."""

import pytest
from helpers import write_catalog

from migration_paths.catalog import read_migrations, validate

PLATFORMS = {"alpha", "beta"}
SOURCES = {"alpha-docs", "alpha-old"}


def problems(tmp_path, data) -> list[str]:
    root = write_catalog(tmp_path / "m", data)
    parsed, found = read_migrations(root)
    return [str(p) for p in found + validate(parsed, platforms=PLATFORMS, sources=SOURCES)]


def test_valid_data_has_no_problem(tmp_path, migrations):
    assert problems(tmp_path, migrations) == []


def test_the_file_name_is_the_source_platform(tmp_path, migrations):
    migrations["gamma.yaml"] = migrations.pop("beta.yaml")
    assert any("unknown platform 'gamma'" in p for p in problems(tmp_path, migrations))


def test_unknown_target_and_self_path_are_refused(tmp_path, migrations):
    migrations["beta.yaml"] = [{"to": "delta", "summary": "x"}, {"to": "beta", "summary": "x"}]
    found = problems(tmp_path, migrations)
    assert any("unknown target platform 'delta'" in p for p in found)
    assert any("two different platforms" in p for p in found)


def test_duplicate_pair_is_refused(tmp_path, migrations):
    migrations["beta.yaml"].append({"to": "alpha", "summary": "again"})
    assert any("duplicate path" in p for p in problems(tmp_path, migrations))


def test_a_path_without_methods_must_say_so(tmp_path, migrations):
    migrations["beta.yaml"] = [{"to": "alpha"}]
    assert any("needs a 'summary'" in p for p in problems(tmp_path, migrations))


def test_published_statement_needs_a_supporting_citation(tmp_path, migrations):
    statement = migrations["alpha.yaml"][0]["methods"][0]["statements"][1]
    statement["citations"] = [{"source": "alpha-docs", "stance": "contradicts"}]
    found = problems(tmp_path, migrations)
    assert any("statement 2: a published statement needs" in p for p in found)


def test_unknown_source_is_named(tmp_path, migrations):
    migrations["alpha.yaml"][0]["methods"][0]["statements"][0]["citations"][0]["source"] = "nope"
    assert any("unknown source 'nope'" in p for p in problems(tmp_path, migrations))


def test_a_mode_needs_a_published_mode_statement(tmp_path, migrations):
    method = migrations["alpha.yaml"][0]["methods"][0]
    method["statements"] = method["statements"][1:]
    found = problems(tmp_path, migrations)
    assert any("mode needs a published 'mode' statement" in p for p in found)


def test_a_published_method_needs_a_published_statement(tmp_path, migrations):
    method = migrations["alpha.yaml"][0]["methods"][1]
    method["mode"] = "unknown"
    method["statements"] = [method["statements"][1]]
    found = problems(tmp_path, migrations)
    assert any("needs at least one published statement" in p for p in found)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("mode", "hot", "'mode' is 'hot'"),
        ("kind", "magic", "'kind' is 'magic'"),
        ("status", "final", "'status' is 'final'"),
        ("tool", "x" * 161, "'tool' is 161 characters"),
    ],
)
def test_method_fields_are_checked(tmp_path, migrations, key, value, message):
    migrations["alpha.yaml"][0]["methods"][0][key] = value
    assert any(message in p for p in problems(tmp_path, migrations))


def test_statement_text_has_a_length_limit(tmp_path, migrations):
    migrations["alpha.yaml"][0]["methods"][0]["statements"][0]["text"] = "y" * 501
    assert any("'text' is 501 characters" in p for p in problems(tmp_path, migrations))


def test_broken_yaml_is_reported_with_its_line(tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    (root / "alpha.yaml").write_text("- to: beta\n  summary: [unclosed\n")
    _, found = read_migrations(root)
    assert found
    assert "not valid YAML" in str(found[0])

import copy

import pytest
from helpers import write_catalog

# Migration YAML over the small test catalogue (platforms alpha and beta, source alpha-docs).
MIGRATIONS = {
    "alpha.yaml": [
        {
            "to": "beta",
            "summary": "Alpha to Beta has a converter.",
            "summary_zh": "Alpha 到 Beta 有转换工具。",
            "methods": [
                {
                    "slug": "converter",
                    "tool": "Alpha Converter",
                    "kind": "vendor-tool",
                    "mode": "warm",
                    "status": "published",
                    "confidence": "high",
                    "statements": [
                        {
                            "topic": "mode",
                            "text": "Copies while running, then a short cut-over.",
                            "text_zh": "运行时复制，然后短暂切换。",
                            "citations": [
                                {"source": "alpha-docs", "locator": "Convert", "quote": "Warm."}
                            ],
                        },
                        {
                            "topic": "manual",
                            "text": "Remove the Alpha tools first.",
                            "citations": [{"source": "alpha-docs", "quote": "Remove tools."}],
                        },
                    ],
                },
                {
                    "slug": "by-hand",
                    "tool": "Export and convert",
                    "kind": "manual",
                    "mode": "cold",
                    "status": "published",
                    "statements": [
                        {
                            "topic": "mode",
                            "text": "The VM is off during the copy.",
                            "citations": [{"source": "alpha-old", "quote": "Off."}],
                        },
                        {
                            "topic": "limit",
                            "text": "Draft note, not shown.",
                            "status": "draft",
                        },
                    ],
                },
            ],
        }
    ],
    "beta.yaml": [{"to": "alpha", "summary": "No documented direct path was found."}],
}


@pytest.fixture
def migrations():
    return copy.deepcopy(MIGRATIONS)


@pytest.fixture
def migration_dir(tmp_path, migrations):
    return write_catalog(tmp_path / "migrations", migrations)


@pytest.fixture
def loaded_migrations(loaded_small_catalog, migration_dir):
    from migration_paths.services import load_migrations_dir

    load_migrations_dir(migration_dir)
    return migration_dir

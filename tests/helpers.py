"""Test data and helpers shared by the test modules."""

import copy
import functools
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent

# A tiny, self-consistent catalogue for loader and page tests (example.org URLs: test data only).
SMALL_CATALOG = {
    "vendors.yaml": [
        {"slug": "acme", "name": "Acme", "homepage": "https://example.org/"},
        {"slug": "none", "name": "None (bare metal)", "homepage": None},
    ],
    "categories.yaml": [
        {
            "slug": "mobility",
            "name": "Mobility",
            "features": [
                {
                    "slug": "live-migration",
                    "name": "Live migration",
                    "kind": "support",
                    "description": "Move a running VM.",
                    "aliases": ["vMotion", "XenMotion"],
                },
                {
                    "slug": "max-vcpus-per-vm",
                    "name": "Maximum vCPUs per VM",
                    "kind": "number",
                    "unit": "vCPUs",
                    "better": "higher",
                },
            ],
        }
    ],
    "platforms/alpha.yaml": {
        "slug": "alpha",
        "name": "Alpha",
        "vendor": "acme",
        "kind": "type1",
        "summary": "Test platform.",
        "releases": [
            {"version": "1.0", "released": "2020-01-01", "end_of_support": "2023-01-01"},
            {"version": "2.0", "released": "2022-01-01", "current": True},
        ],
        "editions": [{"name": "Pro", "description": "Paid."}],
    },
    "platforms/beta.yaml": {
        "slug": "beta",
        "name": "Beta",
        "vendor": "acme",
        "kind": "type1",
        "releases": [{"version": "7", "released": "2021-05-01", "current": True}],
    },
    "sources/alpha.yaml": [
        {
            "key": "alpha-docs",
            "url": "https://example.org/alpha/docs",
            "title": "Alpha docs",
            "publisher": "Acme",
            "kind": "vendor-doc",
            "checked": "2026-11-26",
        },
        {
            "key": "alpha-old",
            "url": "https://example.org/alpha/old",
            "title": "Alpha old page",
            "publisher": "Acme",
            "kind": "kb",
            "checked": "2020-01-01",
        },
    ],
    "claims/alpha.yaml": [
        {
            "feature": "live-migration",
            "from": "1.0",
            "support": "partial",
            "note": "Needs shared storage.",
            "status": "published",
            "confidence": "high",
            "until": "1.0",
            "citations": [
                {"source": "alpha-old", "locator": "Migration", "quote": "Shared storage."}
            ],
        },
        {
            "feature": "live-migration",
            "from": "2.0",
            "support": "full",
            "status": "published",
            "confidence": "high",
            "citations": [{"source": "alpha-docs", "locator": "Migration", "quote": "Yes."}],
        },
        {
            "feature": "max-vcpus-per-vm",
            "from": "2.0",
            "support": "full",
            "value": 240,
            "status": "published",
            "confidence": "high",
            "citations": [{"source": "alpha-docs", "locator": "Limits", "quote": "240."}],
        },
    ],
    "claims/beta.yaml": [
        {
            "feature": "live-migration",
            "from": "7",
            "support": "none",
            "status": "published",
            "confidence": "medium",
            "citations": [{"source": "alpha-docs", "quote": "Beta cannot."}],
        }
    ],
}


def write_catalog(root: Path, catalog: dict) -> Path:
    for rel, data in catalog.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return root


DATA = REPO / "tests" / "data"


def generated_catalog(platforms: int, features: int, releases: int = 2) -> dict:
    """A synthetic catalogue of any size, every cell claimed and cited (for query-count tests)."""
    catalog = {
        "vendors.yaml": [{"slug": "acme", "name": "Acme", "homepage": None}],
        "categories.yaml": [
            {
                "slug": f"cat-{c}",
                "name": f"Category {c}",
                "features": [
                    {"slug": f"feat-{c}-{f}", "name": f"Feature {c}.{f}", "kind": "support"}
                    for f in range(features)
                    if f % 3 == c
                ],
            }
            for c in range(3)
        ],
        "sources/gen.yaml": [
            {
                "key": "gen-doc",
                "url": "https://example.org/gen",
                "title": "Generated",
                "publisher": "Acme",
                "kind": "vendor-doc",
                "checked": "2026-11-26",
            }
        ],
    }
    slugs = [f"feat-{f % 3}-{f}" for f in range(features)]
    for p in range(platforms):
        slug = f"plat-{p}"
        catalog[f"platforms/{slug}.yaml"] = {
            "slug": slug,
            "name": f"Platform {p}",
            "vendor": "acme",
            "kind": "type1",
            "releases": [
                {"version": f"{r}.0", "current": r == releases - 1} for r in range(releases)
            ],
        }
        catalog[f"claims/{slug}.yaml"] = [
            {
                "feature": feature,
                "from": "0.0",
                "support": ("full", "none")[(p + i) % 2],
                "status": "published",
                "citations": [{"source": "gen-doc", "quote": "q"}],
            }
            for i, feature in enumerate(slugs)
        ]
    return catalog


def make_runs(count: int, value_base: float = 1000.0) -> None:
    """count accepted sysbench-cpu runs split between alpha and bare metal on one host."""
    from benchmarks.models import Benchmark, Environment, Result, Run
    from comparisons.models import CatalogVersion, Platform, Release

    benchmark = Benchmark.objects.get(slug="sysbench-cpu")
    metric = benchmark.metrics.get(slug="events-per-second")
    environment, _ = Environment.objects.get_or_create(fingerprint="f" * 32, cpu_model="Test CPU")
    alpha = Platform.objects.get(slug="alpha")
    bare = Platform.objects.get(slug="bare-metal")
    releases = {
        alpha: Release.objects.get(platform=alpha, version="2.0"),
        bare: Release.objects.get(platform=bare),
    }
    start = Run.objects.count()
    runs = [
        Run(
            benchmark=benchmark,
            platform=platform,
            release=releases[platform],
            environment=environment,
            raw_format="normalized",
            raw_payload="{}",
            content_hash=f"test-{start + i}",
            measurement_hash=f"test-{start + i}",
            guest_os="Debian 12",
            vm_vcpus=4,
        )
        for i in range(count)
        for platform in [(alpha, bare)[i % 2]]
    ]
    Run.objects.bulk_create(runs, batch_size=2000)
    Result.objects.bulk_create(
        [Result(run=r, metric=metric, value=value_base + i % 17) for i, r in enumerate(runs)],
        batch_size=5000,
    )
    CatalogVersion.bump(results=True)  # as every real import does: pages showing performance change


def database_env() -> dict:
    """The test database, for a subprocess running manage.py against it."""
    from django.db import connection

    settings = connection.settings_dict
    env = dict(os.environ, DJANGO_DEBUG="1")
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    else:
        pytest.skip("the SQLite test database lives in memory; crash safety runs on PostgreSQL")
    return env


def without_tokens(html: str) -> str:
    """A page without its CSRF tokens, which are masked differently in every response."""
    return re.sub(r'(X-CSRFToken": "|csrfmiddlewaretoken" value=")[^"]+', r"\1", html)


@functools.cache
def _parsed_catalog(key: tuple) -> object:
    """A catalogue read and validated once per test process (YAML parsing was most of the
    cost of loading one); `key` is ("shipped",) or ("generated", platforms, features)."""
    from comparisons.catalog import read_catalog, validate

    if key == ("shipped",):
        catalog, problems = read_catalog(REPO / "fixtures" / "catalog")
    else:
        with tempfile.TemporaryDirectory() as root:
            generated = generated_catalog(*key[1:])
            catalog, problems = read_catalog(write_catalog(Path(root), generated))
    problems += validate(catalog)
    assert not problems, problems
    return catalog


def load_shipped_catalog():
    """load_catalog_dir of fixtures/catalog, its parsing shared by the tests of a process."""
    from comparisons.services import load_catalog

    return load_catalog(copy.deepcopy(_parsed_catalog(("shipped",))))


def load_generated_catalog(platforms: int, features: int):
    """load_catalog_dir of generated_catalog(platforms, features), parsed once per process."""
    from comparisons.services import load_catalog

    return load_catalog(copy.deepcopy(_parsed_catalog(("generated", platforms, features))))

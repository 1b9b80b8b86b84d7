"""The kit runs on the hosts people measure: Python 3.8, standard library, one file."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO

KIT = REPO / "kit" / "virtcompare_bench.py"


def test_kit_parses_as_python_3_8():
    ast.parse(KIT.read_text(encoding="utf-8"), feature_version=(3, 8))


def test_kit_imports_only_the_standard_library():
    tree = ast.parse(KIT.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module.split(".")[0])
    assert modules, "the walk found the imports"
    outside = {m for m in modules if m not in sys.stdlib_module_names and m != "__future__"}
    assert outside == set()


def test_kit_uses_no_library_call_newer_than_python_3_8():
    # Syntax is checked above; these are the 3.9+ library calls that would still parse.
    text = KIT.read_text(encoding="utf-8")
    for newer in ("removeprefix", "removesuffix", "shlex.join", "zoneinfo", "functools.cache("):
        assert newer not in text, newer


def python38():
    """A working Python 3.8 (on PATH, or installed by pyenv), or None."""
    found = [shutil.which("python3.8")]
    found += sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.8*/bin/python3.8"))
    for candidate in filter(None, found):
        done = subprocess.run([candidate, "--version"], capture_output=True, check=False)
        if done.returncode == 0:
            return candidate
    return None


PYTHON38 = python38()


@pytest.mark.skipif(PYTHON38 is None, reason="no Python 3.8 on this machine")
def test_kit_runs_under_python_3_8(tmp_path):
    for args in (["--help"], ["detect"], ["pair", "new"]):
        done = subprocess.run(
            [PYTHON38, str(KIT), *args], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    shown = subprocess.run(
        [PYTHON38, str(KIT), "run", "--platform", "kvm@11.1", "--override-detection"]
        + ["--target-dir", str(tmp_path), "--out", str(tmp_path / "out"), "--show"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert '"platform": "kvm"' in shown.stdout


def test_bundled_definitions_equal_the_portals_fixture(kit):
    fixture = yaml.safe_load((REPO / "fixtures/benchmarks/benchmarks.yaml").read_text())
    expected = [{k: b[k] for k in ("slug", "name", "tool", "command")} for b in fixture]
    assert expected == kit.BUNDLED_BENCHMARKS


def test_every_suite_benchmark_is_defined_and_has_a_format(kit):
    slugs = {b["slug"]: b["tool"] for b in kit.BUNDLED_BENCHMARKS}
    for spec in kit.SUITES.values():
        for slug in spec["benchmarks"] + spec["network"]:
            assert slugs[slug] in kit.FORMATS

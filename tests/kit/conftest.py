"""The kit is one standalone file: tests load it by path, as users run it."""

import importlib.util
import sys

import pytest
from helpers import REPO

KIT = REPO / "kit" / "virtcompare_bench.py"


def load_kit():
    spec = importlib.util.spec_from_file_location("virtcompare_bench", KIT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("virtcompare_bench", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def kit():
    return load_kit()

import copy

import pytest
from helpers import SMALL_CATALOG, write_catalog


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
def english_by_default():
    """Each test starts in English, whatever language an earlier request activated."""
    from django.utils import translation

    with translation.override("en"):
        yield

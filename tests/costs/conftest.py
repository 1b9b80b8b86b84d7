import pytest
from price_helpers import create_platforms, load_price_list


@pytest.fixture
def platforms(db):
    create_platforms()


@pytest.fixture
def price_list(db):
    return load_price_list()

from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from benchmarks.services import load_benchmarks
from comparisons.services import load_catalog_dir

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"


@pytest.fixture
def benchmark_catalog(db, small_catalog_dir):
    """The small test catalogue plus a bare-metal baseline and the real benchmark list."""
    bare = small_catalog_dir / "platforms" / "bare-metal.yaml"
    bare.write_text((REPO / "fixtures/catalog/platforms/bare-metal.yaml").read_text())
    load_catalog_dir(small_catalog_dir)
    load_benchmarks(REPO / "fixtures" / "benchmarks" / "benchmarks.yaml")


@pytest.fixture
def submitter(django_user_model):
    return django_user_model.objects.create_user("submitter")


@pytest.fixture
def token_client(client, submitter):
    token = Token.objects.create(user=submitter)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client

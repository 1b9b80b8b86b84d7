"""The committed OpenAPI schema is the contract: a test fails when the API drifts from it."""

from django.core.management import call_command
from django.utils import translation
from helpers import REPO


def test_committed_schema_matches_the_api(tmp_path):
    generated = tmp_path / "schema.yml"
    # Choice labels are translated: the committed contract is the English one.
    with translation.override("en"):
        call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    committed = (REPO / "schema.yml").read_text()
    assert generated.read_text() == committed, (
        "The API changed: regenerate with "
        "`DJANGO_DEBUG=1 .venv/bin/python manage.py spectacular --file schema.yml` and review."
    )


def test_schema_and_docs_are_served_without_a_cdn(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs
    redoc = client.get("/api/redoc/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in redoc

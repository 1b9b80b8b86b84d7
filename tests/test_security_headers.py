import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/compare/", "/api/v1/platforms/", "/healthz"])
def test_strict_security_headers_everywhere(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "style-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script(client, loaded_small_catalog):
    for path in ["/", "/compare/?platforms=alpha,beta", "/platforms/alpha/", "/fact-checks/"]:
        html = client.get(path).content.decode()
        for chunk in html.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert " src=" in head or 'type="application/json"' in head, (path, head)

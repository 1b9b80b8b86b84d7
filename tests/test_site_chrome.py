"""What every page shares: the icon and the colour scheme native controls follow."""

import pytest
from helpers import REPO

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_a_real_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO header: reserved 0, type 1 (icon)


def test_pages_link_the_icon_and_declare_both_colour_schemes(client):
    html = client.get("/").content.decode()
    assert '<meta name="color-scheme" content="light dark">' in html
    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    assert 'href="data:,"' not in html


def test_native_controls_follow_the_dark_scheme():
    css = (REPO / "static" / "css" / "site.css").read_text()
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    assert "color-scheme: light dark;" in root

"""English and Simplified Chinese: complete translations, chosen by the browser or a cookie."""

import gettext

import polib
import pytest
from helpers import REPO

PO = REPO / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    assert len(po) > 250


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(PO))
    with MO.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for entry in po:
        if entry.obsolete or entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert mo._catalog.get(key) == entry.msgstr, entry.msgid


ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "english", "chinese"),
    [
        ("/", "Which virtualization platform fits", '<html lang="zh-Hans"'),
        ("/compare/?platforms=alpha,beta", "Differences only", '<html lang="zh-Hans"'),
        ("/platforms/alpha/", "Releases", '<html lang="zh-Hans"'),
        ("/fact-checks/", "Fact checks", '<html lang="zh-Hans"'),
    ],
)
def test_pages_follow_accept_language(client, loaded_small_catalog, path, english, chinese):
    assert english in client.get(path).content.decode()
    html = client.get(path, **ZH).content.decode()
    assert chinese in html
    assert english not in html


@pytest.mark.django_db
def test_language_switch_keeps_the_url_and_is_remembered(client, loaded_small_catalog):
    url = "/compare/?platforms=alpha%2Cbeta&diff=1"
    html = client.get(url).content.decode()
    link = html.split('<span class="lang-switch"')[1].split('href="')[2].split('"')[0]
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 302
    assert response["Location"] == url
    assert client.cookies["django_language"].value == "zh-hans"
    assert '<html lang="zh-Hans"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_every_page_offers_the_language_switch_with_its_current_url(client, loaded_small_catalog):
    html = client.get("/platforms/alpha/?x=1").content.decode()
    assert 'href="/language/?language=zh-hans&amp;next=/platforms/alpha/%3Fx%3D1"' in html


@pytest.mark.parametrize(
    ("query", "status", "location"),
    [
        ("language=zh-hans&next=https://evil.example/", 302, "/"),  # no open redirect
        ("language=zh-hans&next=//evil.example/", 302, "/"),
        ("language=klingon&next=/", 400, None),
        ("next=/", 400, None),
    ],
)
def test_the_language_switch_refuses_foreign_targets_and_unknown_languages(
    client, query, status, location
):
    response = client.get(f"/language/?{query}")
    assert response.status_code == status
    if location:
        assert response["Location"] == location
    else:
        assert "django_language" not in response.cookies


@pytest.mark.django_db
def test_scenario_api_answers_in_the_requested_language(client):
    from comparisons.models import Scenario

    Scenario.objects.create(
        slug="s", name="Home lab", name_zh_hans="家庭实验室", rationale="R", category_weights={}
    )
    assert client.get("/api/v1/scenarios/s/").json()["name"] == "Home lab"
    assert client.get("/api/v1/scenarios/s/", **ZH).json()["name"] == "家庭实验室"


def test_every_marked_string_in_the_code_has_its_translation(tmp_path):
    """Re-run makemessages on a copy of the code: nothing new may appear untranslated."""
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            pytest.fail("xgettext is required (apt-get install gettext)")
        pytest.skip("xgettext not installed (apt-get install gettext)")
    copy = tmp_path / "code"
    keep = [
        "manage.py",
        "portal",
        "comparisons",
        "benchmarks",
        "migration_paths",
        "costs",
        "templates",
        "locale",
    ]
    for name in keep:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(source, copy / name)
    env = dict(os.environ, DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in fresh if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == [], "translate in locale/zh_Hans/LC_MESSAGES/django.po"

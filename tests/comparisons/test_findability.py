"""Findability: platform aliases in URLs, readable comparison URLs and search words."""

import pytest
from helpers import REPO

from comparisons import aliases, glossary, matrix, search_words
from comparisons.catalog import read_catalog, validate
from comparisons.models import Platform

CATALOG = REPO / "fixtures" / "catalog"


@pytest.fixture
def aliased(loaded_small_catalog):
    Platform.objects.filter(slug="alpha").update(aliases=["alfa", "AlphaVisor"])
    Platform.objects.filter(slug="beta").update(aliases=["b-ware"])


def test_alias_keys_ignore_case_spaces_and_dashes():
    known = aliases.alias_map([("hyper-v", ["ms-hyper-v"]), ("vmware-esxi", ["esxi", "vsphere"])])
    assert aliases.resolve("HyperV", known) == "hyper-v"
    assert aliases.resolve("hyper v", known) == "hyper-v"
    assert aliases.resolve("vSphere", known) == "vmware-esxi"
    assert aliases.resolve("xen", known) is None


def test_aliases_in_the_platforms_value_become_slugs_and_keep_the_release():
    known = aliases.alias_map([("hyper-v", []), ("vmware-esxi", ["esxi"])])
    assert aliases.canonical_platforms("hyperv,esxi@8.0", known) == "hyper-v,vmware-esxi@8.0"
    assert aliases.canonical_platforms("hyper-v,nope", known) == "hyper-v,nope"


def test_an_alias_naming_two_platforms_is_a_catalogue_problem():
    problems = aliases.clashes([("kvm", ["qemu"]), ("proxmox-ve", ["QEMU"])])
    assert problems == ["alias 'QEMU' of proxmox-ve also names kvm"]


def test_the_shipped_aliases_resolve_what_readers_type():
    catalog, problems = read_catalog(CATALOG)
    assert not problems
    assert not validate(catalog)
    known = aliases.alias_map(
        (p.data["slug"], p.data.get("aliases", [])) for p in catalog.platforms
    )
    typed = {
        "hyperv": "hyper-v",
        "Hyper-V": "hyper-v",
        "esxi": "vmware-esxi",
        "vsphere": "vmware-esxi",
        "vmware": "vmware-esxi",
        "pve": "proxmox-ve",
        "proxmox": "proxmox-ve",
        "xcpng": "xcp-ng",
        "ahv": "nutanix-ahv",
        "nutanix": "nutanix-ahv",
        "kvm": "kvm",
        "qemu": "kvm",
    }
    assert {name: aliases.resolve(name, known) for name in typed} == typed


def test_compare_with_aliases_redirects_to_the_slugs_keeping_filters(client, aliased):
    response = client.get("/compare/?platforms=ALFA@1.0,b-ware&diff=1&q=live")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?platforms=alpha%401.0%2Cbeta&q=live&diff=1"
    assert client.get(response["Location"]).status_code == 200


def test_compare_with_an_unknown_name_is_still_a_400(client, aliased):
    assert client.get("/compare/?platforms=alfa,nope").status_code == 302
    assert client.get("/compare/?platforms=alpha,nope").status_code == 400


@pytest.mark.parametrize(
    ("path", "platforms"),
    [
        ("/compare/alpha-vs-beta/", "alpha,beta"),
        ("/compare/alfa-vs-b-ware/", "alpha,beta"),
        ("/compare/AlphaVisor-vs-beta/", "alpha,beta"),
        ("/compare/beta-vs-alpha-vs-b-ware/", "beta,alpha,beta"),
    ],
)
def test_readable_comparison_urls_accept_aliases_and_more_than_two(
    client, aliased, path, platforms
):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/compare/?platforms={platforms}"


def test_a_readable_url_with_an_unknown_name_is_a_404_naming_it(client, aliased):
    response = client.get("/compare/alfa-vs-nope/")
    assert response.status_code == 404


def _feature(name: str, aliases_: tuple[str, ...] = ()) -> matrix.FeatureInfo:
    return matrix.FeatureInfo(
        slug=name.lower().replace(" ", "-"),
        name=name,
        kind="support",
        unit="",
        better="",
        description="",
        category_slug="c",
        category_name="C",
        english=name,
        aliases=aliases_,
    )


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("license", "Licence model"),
        ("licence", "License server"),
        ("price", "Licence metric"),
        ("pricing", "Paid support (subscription)"),
        ("virtualisation", "Nested virtualization"),
        ("Catalog", "Template catalogue"),
    ],
)
def test_search_words_find_the_other_spelling_and_the_catalogues_word(query, name):
    assert matrix.matches(_feature(name), query)


def test_a_search_word_does_not_find_unrelated_features():
    assert not matrix.matches(_feature("Live migration"), "price")
    assert not matrix.matches(_feature("Live migration"), "license")


def test_search_words_keep_the_glossary_variants():
    assert set(glossary.needles("热迁移")) <= set(search_words.needles("热迁移"))


def test_the_price_search_finds_the_shipped_licensing_features():
    catalog, _ = read_catalog(CATALOG)
    licensing = next(c for c in catalog.categories if c.data["slug"] == "licensing")
    features = [
        _feature(f["name"], tuple(f.get("aliases", []))) for f in licensing.data["features"]
    ]
    for query in ("price", "license", "licence"):
        assert sum(matrix.matches(f, query) for f in features) >= 6, query


def test_home_picks_platforms_and_leads_to_performance_cost_and_migration(
    client, loaded_small_catalog
):
    html = client.get("/").content.decode()
    form = html.split('<form class="home-picker" action="/compare/" method="get">')[1]
    form = form.split("</form>")[0]
    assert 'name="platform" value="alpha"' in form
    assert 'name="platform" value="beta"' in form
    for entry in ("/benchmarks/", "/cost/", "/migrate/", "/recommend/"):
        assert f'<a href="{entry}">' in html
    chosen = client.get("/compare/?platform=alpha&platform=beta")
    assert chosen.status_code == 302
    assert chosen["Location"] == "/compare/?platforms=alpha%2Cbeta"


def test_home_says_when_the_catalogue_was_last_updated(client, loaded_small_catalog):
    from django.template.defaultfilters import date
    from django.utils import timezone

    from comparisons.models import CatalogVersion, Source

    newest = max(Source.objects.values_list("checked", flat=True))
    changed = timezone.localdate(CatalogVersion.current().changed_at)
    html = client.get("/").content.decode()
    assert f"Catalogue last updated {date(changed, 'DATE_FORMAT')}" in html
    assert f"newest source check {date(newest, 'DATE_FORMAT')}" in html


def test_exports_accept_aliases_too(client, aliased):
    response = client.get("/compare/export.csv?platforms=alfa,b-ware")
    assert response.status_code == 200
    assert "alpha@2.0 support" in response.content.decode("utf-8-sig").splitlines()[0]


def test_the_matrix_api_accepts_aliases(client, loaded_small_catalog):
    from comparisons.models import CatalogVersion, Platform

    Platform.objects.filter(slug="alpha").update(aliases=["first"])
    CatalogVersion.bump()
    by_alias = client.get("/api/v1/matrix/?platforms=first,beta")
    assert by_alias.status_code == 200
    assert [p["slug"] for p in by_alias.json()["platforms"]] == ["alpha", "beta"]

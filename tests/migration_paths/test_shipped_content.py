"""The curated migration paths that ship in fixtures/migrations/: valid, complete, cited."""

import itertools

import pytest
from helpers import REPO

from comparisons.catalog import read_catalog
from migration_paths.catalog import read_migrations, statement_defaults, validate

HYPERVISORS = ("hyper-v", "vmware-esxi", "proxmox-ve", "xcp-ng", "nutanix-ahv", "kvm")
# Pairs with at least one published, cited method. A change here is a content decision:
# update the list together with fixtures/migrations/ and say why in the commit.
DOCUMENTED = {
    ("vmware-esxi", "hyper-v"),
    ("vmware-esxi", "proxmox-ve"),
    ("vmware-esxi", "xcp-ng"),
    ("vmware-esxi", "nutanix-ahv"),
    ("vmware-esxi", "kvm"),
    ("hyper-v", "vmware-esxi"),
    ("hyper-v", "proxmox-ve"),
    ("hyper-v", "xcp-ng"),
    ("hyper-v", "nutanix-ahv"),
    ("hyper-v", "kvm"),
    ("proxmox-ve", "vmware-esxi"),
    ("proxmox-ve", "hyper-v"),
    ("proxmox-ve", "xcp-ng"),
    ("proxmox-ve", "nutanix-ahv"),
    ("proxmox-ve", "kvm"),
    ("xcp-ng", "proxmox-ve"),
    ("xcp-ng", "kvm"),
    ("nutanix-ahv", "vmware-esxi"),
    ("nutanix-ahv", "hyper-v"),
    ("nutanix-ahv", "proxmox-ve"),
    ("kvm", "proxmox-ve"),
    ("kvm", "xcp-ng"),
}


@pytest.fixture(scope="module")
def shipped():
    catalog, problems = read_catalog(REPO / "fixtures" / "catalog")
    assert problems == []
    migrations, problems = read_migrations(REPO / "fixtures" / "migrations")
    assert problems == []
    sources = {e.data["key"]: e.data for e in catalog.sources}
    platforms = {e.data["slug"] for e in catalog.platforms}
    return migrations, sources, platforms


def published_methods(entry):
    return [m for m in entry.data.get("methods") or [] if m.get("status") == "published"]


def test_shipped_migrations_are_valid(shipped):
    migrations, sources, platforms = shipped
    assert validate(migrations, platforms=platforms, sources=set(sources)) == []


def test_all_thirty_ordered_pairs_are_present(shipped):
    migrations, _, _ = shipped
    pairs = {(e.data["from"], e.data["to"]) for e in migrations.paths}
    assert pairs == set(itertools.permutations(HYPERVISORS, 2))


def test_every_published_statement_cites_a_dated_web_source(shipped):
    migrations, sources, _ = shipped
    for entry in migrations.paths:
        for method in published_methods(entry):
            for statement in method.get("statements") or []:
                status, _ = statement_defaults(method, statement)
                if status not in ("published", "disputed"):
                    continue
                supporting = [
                    sources[c["source"]]
                    for c in statement["citations"]
                    if c.get("stance", "supports") == "supports"
                ]
                assert supporting, statement["text"]
                for source in supporting:
                    assert source["url"].startswith(("https://", "http://"))
                    assert source["checked"]


def test_coverage_is_the_documented_set(shipped):
    migrations, _, _ = shipped
    covered = {(e.data["from"], e.data["to"]) for e in migrations.paths if published_methods(e)}
    assert covered == DOCUMENTED


def test_paths_out_of_esxi_have_at_least_two_methods(shipped):
    migrations, _, _ = shipped
    for entry in migrations.paths:
        if entry.data["from"] == "vmware-esxi":
            assert len(published_methods(entry)) >= 2, entry.data["to"]


def test_thin_pairs_say_so_in_words(shipped):
    migrations, _, _ = shipped
    for entry in migrations.paths:
        if not published_methods(entry):
            assert "No documented direct path" in entry.data["summary"], entry.where()


def test_every_text_has_a_chinese_twin(shipped):
    migrations, _, _ = shipped
    for entry in migrations.paths:
        assert entry.data.get("summary_zh"), entry.where()
        for method in entry.data.get("methods") or []:
            for statement in method.get("statements") or []:
                assert statement.get("text_zh"), statement["text"]


def test_migration_sources_were_read_on_the_stated_date(shipped):
    migrations, sources, _ = shipped
    cited = {
        c["source"]
        for e in migrations.paths
        for m in e.data.get("methods") or []
        for s in m.get("statements") or []
        for c in s.get("citations") or []
    }
    own = {key for key in cited if key.startswith("mig-")}
    assert own
    assert all(str(sources[key]["checked"]) == "2026-12-02" for key in own)


@pytest.mark.django_db
def test_the_shipped_data_loads_renders_and_round_trips(client, tmp_path):
    from django.core.management import call_command

    from comparisons.services import load_catalog_dir
    from migration_paths.services import load_migrations_dir

    load_catalog_dir(REPO / "fixtures" / "catalog")
    load_migrations_dir(REPO / "fixtures" / "migrations")
    data = client.get("/api/v1/migration-paths/").json()["pairs"]
    assert len(data) == 30
    assert {(p["from"], p["to"]) for p in data if p["methods"]} == DOCUMENTED
    html = client.get("/migrate/vmware-esxi/proxmox-ve/").content.decode()
    assert "Proxmox VE import wizard" in html
    assert client.get("/migrate/xcp-ng/hyper-v/").status_code == 200
    call_command("export_migrations", str(tmp_path / "exported"))
    report = load_migrations_dir(tmp_path / "exported")
    assert sum(report.created.values()) == sum(report.updated.values()) == 0

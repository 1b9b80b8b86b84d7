"""The published evidence we ship (fixtures/benchmarks/published/): it loads whole, every run is
accepted and sourced, and the counts the evidence issue (#22) asks for are pinned, with the
shortfalls stated, so that the evidence can only grow."""

from collections import defaultdict
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from helpers import REPO, load_shipped_catalog, write_catalog

from benchmarks.models import Result, Run
from comparisons.catalog import read_catalog, validate
from comparisons.models import Source
from comparisons.services import load_catalog_dir

PUBLISHED = REPO / "fixtures" / "benchmarks" / "published"
RELATIVE_TO_BARE_METAL = {"pct-of-bare-metal-low", "pct-of-bare-metal-high"}
RELATIVE_TO_NATIVE = {"pct-of-native-performance"}


def _count_entries() -> int:
    return sum(len(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in PUBLISHED.glob("*.yaml"))


@pytest.fixture(scope="module")
def evidence(django_db_setup, django_db_blocker):
    """Catalogue, benchmarks and every published file, loaded once, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_shipped_catalog()
        call_command("load_benchmarks", stdout=StringIO())
        out = StringIO()
        call_command("import_runs", str(PUBLISHED), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def same_host_pairs() -> dict[frozenset, set[str]]:
    """Platforms measured on one host fingerprint by one source -> the sources showing that."""
    by_host = defaultdict(set)
    for env, source, platform in Run.objects.values_list(
        "environment_id", "source__key", "platform__slug"
    ):
        by_host[(env, source)].add(platform)
    pairs: dict[frozenset, set[str]] = defaultdict(set)
    for (_, source), platforms in by_host.items():
        for a in platforms:
            for b in platforms:
                if a < b:
                    pairs[frozenset((a, b))].add(source)
    return pairs


@pytest.mark.django_db
def test_every_published_entry_is_stored_and_accepted(evidence):
    assert "0 duplicates, 0 rejected" in evidence
    assert Run.objects.count() == _count_entries()
    flagged = list(
        Run.objects.exclude(status=Run.Status.ACCEPTED).values_list("pk", "status_reason")
    )
    assert flagged == []


@pytest.mark.django_db
def test_every_run_carries_its_provenance(evidence):
    assert not Run.objects.filter(source__isnull=True).exists()
    assert not Run.objects.filter(notes="").exists()
    used = Source.objects.filter(runs__isnull=False).distinct()
    # Who paid is recorded for every source of results.
    assert not used.filter(affiliation="").exists()
    sponsored = used.filter(affiliation__in=["vendor", "sponsored"])
    assert not sponsored.filter(affiliated_with="").exists()
    assert set(used.filter(affiliation="sponsored").values_list("key", flat=True)) == {
        "bench-pt-vsphere5-vs-hyperv-r2sp1",
        "bench-pt-hyperv-2008-sp2-vs-r2-x5570",
    }


@pytest.mark.django_db
def test_targets_sources_and_results(evidence):
    sources = Source.objects.filter(runs__isnull=False).distinct().count()
    # Target 12 sources: reached (13, see docs/evidence.md for those examined and not usable).
    assert sources >= 13
    # Target 300 results: reached from raw logs (one result per measured run or job).
    assert Result.objects.count() >= 3190
    assert Run.objects.count() >= 1490


@pytest.mark.django_db
def test_results_per_platform(evidence):
    runs = dict(
        Run.objects.values("platform__slug")
        .annotate(n=Count("pk"))
        .values_list("platform__slug", "n")
    )
    assert runs["bare-metal"] >= 550
    assert runs["kvm"] >= 910
    assert runs["vmware-esxi"] >= 8
    assert runs["hyper-v"] >= 4
    assert runs["proxmox-ve"] >= 2
    # No published same-hardware measurement of these was found (see the evidence report).
    assert "xcp-ng" not in runs
    assert "nutanix-ahv" not in runs


@pytest.mark.django_db
def test_same_host_pairs(evidence):
    pairs = same_host_pairs()
    assert pairs[frozenset(("bare-metal", "kvm"))] >= {
        "bench-felter2014-kvm-docker-raw",
        "bench-ferruzzi-vmdata-hpc-kvm-xen-raw",
        "bench-miroka96-2018-virtualization-homework",
        "bench-ppeerttu2021-virtualization-raw",
    }
    # Target: Hyper-V and ESXi on the same hardware in 2 sources: reached, one of them
    # independent (Network World 2008) and one VMware-sponsored (Principled Technologies 2011).
    assert pairs[frozenset(("hyper-v", "vmware-esxi"))] == {
        "bench-networkworld2008-esx-vs-hyperv",
        "bench-pt-vsphere5-vs-hyperv-r2sp1",
    }
    assert len(pairs[frozenset(("proxmox-ve", "vmware-esxi"))]) >= 2
    assert pairs[frozenset(("bare-metal", "hyper-v"))] == {"bench-ms-ws2016-hyperv-large-vm-oltp"}
    assert pairs[frozenset(("bare-metal", "proxmox-ve"))] == {"bench-pve-forum-iops-drop-9-1"}
    # ESXi against bare metal is published only relative to it (% of bare metal / native).
    relative = set(
        Result.objects.filter(
            run__platform__slug="vmware-esxi",
            metric__slug__in=RELATIVE_TO_BARE_METAL | RELATIVE_TO_NATIVE,
        ).values_list("run__source__key", flat=True)
    )
    assert relative == {
        "bench-vmware-mlperf-inference-v11",
        "bench-vmware-hadoop-vsphere6-vs-native",
    }
    # Proxmox VE's gap to bare metal on one host is also published as a relative figure.
    assert Result.objects.filter(
        run__platform__slug="proxmox-ve", metric__slug="latency-above-bare-metal"
    ).exists()
    vs_bare_metal = {p for pair in pairs if "bare-metal" in pair for p in pair} - {"bare-metal"}
    assert vs_bare_metal | {"vmware-esxi"} == {"kvm", "hyper-v", "proxmox-ve", "vmware-esxi"}


@pytest.mark.django_db
def test_upstream_kvm_evidence_is_stored_under_kvm_not_its_derivatives(evidence):
    upstream = {
        "bench-felter2014-kvm-docker-raw",
        "bench-ppeerttu2021-virtualization-raw",
        "bench-ferruzzi-vmdata-hpc-kvm-xen-raw",
    }
    platforms = set(
        Run.objects.filter(source__key__in=upstream).values_list("platform__slug", flat=True)
    )
    assert platforms == {"bare-metal", "kvm"}


@pytest.mark.django_db
def test_related_evidence_is_labelled_and_never_counted_as_the_derivatives(evidence):
    """Nutanix AHV (on KVM) has no same-host evidence of its own: the compare page shows KVM's
    as another platform's and counts none of it for AHV. XCP-ng (on Xen) gets none: the
    catalogue has no upstream Xen platform, so the Xen runs of the studies read are not stored."""
    from benchmarks.selectors import performance_verdict
    from benchmarks.verdicts import RELATED

    assert RELATED == {"proxmox-ve": "kvm", "nutanix-ahv": "kvm"}
    cpu = next(a for a in performance_verdict(["nutanix-ahv"]).areas if a.area == "cpu")
    text = " ".join(cpu.sentences)
    assert "No same-host measurement of Nutanix AHV against bare metal yet." in text
    assert "Related evidence from another platform on the same hypervisor: KVM" in text
    assert (cpu.has_evidence, cpu.comparisons) == (False, 0)
    xcp = next(a for a in performance_verdict(["xcp-ng"]).areas if a.area == "cpu")
    assert xcp.sentences == ("No same-host measurement of XCP-ng against bare metal yet.",)
    assert (xcp.has_evidence, xcp.comparisons) == (False, 0)


@pytest.mark.django_db
def test_raw_table_runs_compare_only_within_their_thread_count(evidence):
    """adrianoferruzzi/vmdata: 30 runs per thread count and environment; 1 thread is the
    benchmark's workload, every other thread count its own variant (never mixed)."""
    runs = Run.objects.filter(
        source__key="bench-ferruzzi-vmdata-hpc-kvm-xen-raw",
        benchmark__slug="ferruzzi-sysbench-cpu-100k-events",
    )
    assert runs.count() == 900
    assert runs.filter(platform__slug="bare-metal").count() == 270
    assert set(runs.values_list("variant", flat=True)) == {
        "",
        *(f"threads={n}" for n in (2, 4, 8, 10, 16, 20, 32, 40)),
    }
    recommended = Result.objects.filter(run__in=runs.filter(variant=""))
    assert recommended.filter(run__platform__slug="bare-metal").count() == 30
    assert recommended.filter(run__platform__slug="kvm").count() == 90  # vm-1, vm-2, vm-3
    assert {r.run.environment_id for r in recommended.select_related("run")} == {
        runs.first().environment_id
    }
    # Memory: dd reads of a file on tmpfs, 30 runs per size, bare metal and vm-1.
    memory = Run.objects.filter(benchmark__slug="ferruzzi-dd-tmpfs-read")
    assert memory.count() == 180
    assert set(memory.values_list("variant", flat=True)) == {"", "count=30096", "count=50096"}
    assert set(memory.values_list("platform__slug", flat=True)) == {"bare-metal", "kvm"}


@pytest.mark.django_db
def test_every_area_has_same_host_evidence_against_bare_metal(evidence):
    """CPU, memory, storage and network each have bare metal and a hypervisor measured with
    the same benchmark on the same host (KVM; the only platform with raw per-area data)."""
    areas = {
        "cpu": "felter2014-linpack-n45000",
        "memory": "felter2014-stream-2socket",
        "storage": "felter2014-fio-suite",
        "network": "iperf3-tcp",  # stored as iperf3's own JSON, read by the portal's parser
    }
    for area, benchmark in areas.items():
        platforms = set(
            Run.objects.filter(benchmark__slug=benchmark).values_list("platform__slug", flat=True)
        )
        assert {"bare-metal", "kvm"} <= platforms, area
    assert Run.objects.filter(benchmark__slug="iperf3-tcp", raw_format="iperf3-json").count() == 20


@pytest.mark.django_db
def test_historic_releases_do_not_change_the_current_ones(evidence):
    from comparisons.models import Release

    current = dict(Release.objects.filter(is_current=True).values_list("platform__slug", "version"))
    assert current["kvm"] == "11.1"
    assert current["proxmox-ve"] == "9.2"
    assert current["hyper-v"] == "2025"
    assert current["vmware-esxi"] == "9.0"
    # Oldest first: the historic releases sit before the ones claims start from.
    versions = list(
        Release.objects.filter(platform__slug="hyper-v").values_list("version", flat=True)
    )
    assert versions[:4] == ["2008", "2008 R2", "2012 R2", "2016"]


def _catalog_with_source(small_catalog, **fields):
    catalog = {k: v for k, v in small_catalog.items()}
    source = dict(catalog["sources/alpha.yaml"][0], **fields)
    catalog["sources/alpha.yaml"] = [source, *catalog["sources/alpha.yaml"][1:]]
    return catalog


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"affiliation": "vendor"}, "needs 'affiliated_with'"),
        ({"affiliation": "sponsored", "affiliated_with": ""}, "needs 'affiliated_with'"),
        ({"affiliation": "independent", "affiliated_with": "VMware"}, "only for a vendor"),
        ({"affiliation": "paid"}, "'affiliation' is 'paid'"),
    ],
)
def test_catalogue_checks_source_affiliation(tmp_path, small_catalog, fields, message):
    root = write_catalog(tmp_path / "cat", _catalog_with_source(small_catalog, **fields))
    parsed, problems = read_catalog(root)
    assert any(message in str(p) for p in problems + validate(parsed))


@pytest.mark.django_db
def test_catalogue_loads_affiliation(tmp_path, small_catalog):
    catalog = _catalog_with_source(small_catalog, affiliation="sponsored", affiliated_with="VMware")
    load_catalog_dir(write_catalog(tmp_path / "cat", catalog))
    source = Source.objects.get(key=catalog["sources/alpha.yaml"][0]["key"])
    assert (source.affiliation, source.affiliated_with) == ("sponsored", "VMware")
    assert source.affiliation_label() == "Sponsored by VMware"


def test_source_clean_requires_who_paid():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Source(affiliation="vendor", affiliated_with="").clean()
    with pytest.raises(ValidationError):
        Source(affiliation="independent", affiliated_with="VMware").clean()
    Source(affiliation="vendor", affiliated_with="Microsoft").clean()
    assert Source(affiliation="vendor", affiliated_with="Microsoft").affiliation_label() == (
        "Vendor: Microsoft"
    )
    assert Source(affiliation="").affiliation_label() == ""


@pytest.mark.django_db
def test_run_page_shows_who_paid(evidence, client):
    run = Run.objects.filter(source__key="bench-pt-vsphere5-vs-hyperv-r2sp1").first()
    response = client.get(run.get_absolute_url())
    assert response.status_code == 200
    assert "Sponsored by VMware" in response.content.decode()

"""The compare page's performance verdict: pure sentences from same-host measurements, and
the selector that feeds it in a fixed number of queries."""

import pytest
from helpers import make_runs

from benchmarks import verdicts
from benchmarks.verdicts import Measurement, SourceInfo

PLATFORMS = {"hyper-v": "Hyper-V", "vmware-esxi": "ESXi"}
SOURCES = {
    "study": SourceInfo("study", "Lab", 2016, ""),
    "paid": SourceInfo("paid", "PT", 2011, "VMware"),
}


def m(platform, host, median, *, benchmark="b", area="cpu", n=5, source="study", rel=""):
    return Measurement(area, benchmark, 1, "higher", platform, host, source, n, median, rel)


def test_a_platform_is_compared_with_bare_metal_only_on_the_same_host():
    rows = [m("hyper-v", 1, 90.0), m("bare-metal", 1, 100.0), m("vmware-esxi", 2, 99.0)]
    area = verdicts.area_verdict("cpu", rows, PLATFORMS, SOURCES)
    text = " ".join(area.sentences)
    assert "Hyper-V reached 90% of bare metal in 1 same-host comparison" in text
    assert "from 1 published source (2016)" in text
    assert "No same-host measurement of ESXi against bare metal yet." in text
    assert "No same-host comparison of Hyper-V and ESXi yet." in text
    assert area.has_evidence


def test_several_hosts_give_a_median_and_a_range():
    rows = [m("hyper-v", h, v) for h, v in ((1, 90.0), (2, 80.0), (3, 100.0))]
    rows += [m("bare-metal", h, 100.0) for h in (1, 2, 3)]
    text = " ".join(verdicts.area_verdict("cpu", rows, PLATFORMS, SOURCES).sentences)
    assert "a median 90% of bare metal in 3 same-host comparisons (80% to 100%)" in text


def test_lower_is_better_inverts_the_ratio():
    rows = [
        Measurement("storage", "lat", 1, "lower", "hyper-v", 1, "study", 5, 200.0),
        Measurement("storage", "lat", 1, "lower", "bare-metal", 1, "study", 5, 100.0),
    ]
    text = " ".join(verdicts.area_verdict("storage", rows, PLATFORMS, SOURCES).sentences)
    assert "Hyper-V reached 50% of bare metal" in text


def test_a_reported_ratio_is_a_same_host_comparison_and_says_who_paid():
    rows = [m("vmware-esxi", 7, 119.0, n=1, source="paid", rel="hyper-v", area="application")]
    found = verdicts.verdict(rows, PLATFORMS, SOURCES)
    assert found.pairs == (
        "Hyper-V reached 84% of ESXi in 1 same-host comparison, from 1 published source "
        "(2011); paid for by VMware; 1 of them rests on a single figure per side (n = 1) "
        "(areas: Applications).",
    )
    assert found.missing_pairs == ()


def test_a_missing_pair_beside_a_compared_one_keeps_one_sentence_per_pair():
    # The headline names the missing pairs; the list of pairs stays one sentence each (it
    # once became the headline's characters, 749 list items on the compare page).
    platforms = {**PLATFORMS, "kvm": "KVM"}
    rows = [m("vmware-esxi", 7, 119.0, n=1, source="paid", rel="hyper-v", area="application")]
    found = verdicts.verdict(rows, platforms, SOURCES)
    assert found.headline.startswith("Evidence exists for some of these platforms")
    assert "Hyper-V – KVM; ESXi – KVM" in found.headline
    assert len(found.pairs) == 3
    assert found.pairs[1:] == (
        "No same-host comparison of Hyper-V and KVM yet, in any area.",
        "No same-host comparison of ESXi and KVM yet, in any area.",
    )
    assert found.missing_pairs == (("hyper-v", "kvm"), ("vmware-esxi", "kvm"))


def test_no_same_host_evidence_says_so_plainly():
    found = verdicts.verdict([m("hyper-v", 1, 90.0)], PLATFORMS, SOURCES)
    assert found.headline.startswith("No stored benchmark compares these platforms")
    assert found.pairs == ("No same-host comparison of Hyper-V and ESXi yet, in any area.",)
    assert not any(area.has_evidence for area in found.areas)


def test_a_platform_on_another_platforms_hypervisor_gets_related_evidence_labelled():
    rows = [m("kvm", 1, 95.0), m("bare-metal", 1, 100.0)]
    text = " ".join(
        verdicts.area_verdict(
            "cpu", rows, {"proxmox-ve": "Proxmox VE"}, SOURCES, {"kvm": "KVM"}
        ).sentences
    )
    assert "No same-host measurement of Proxmox VE against bare metal yet." in text
    assert "Related evidence from another platform on the same hypervisor: KVM reached 95%" in text


@pytest.mark.usefixtures("benchmark_catalog")
@pytest.mark.parametrize("runs", [4, 40])
def test_the_verdict_selector_runs_a_fixed_number_of_queries_whatever_the_data(
    runs, django_assert_num_queries
):
    from benchmarks.selectors import performance_verdict

    make_runs(runs)
    # The data version (just bumped), names, metrics, per-host medians (the sources' query
    # is skipped: these runs cite none); then none while the data is unchanged.
    with django_assert_num_queries(4):
        found = performance_verdict(["alpha", "beta"])
    with django_assert_num_queries(0):
        assert performance_verdict(["alpha", "beta"]) is found
    assert len(found.areas) == len(verdicts.AREAS)
    assert any("Alpha reached" in s for area in found.areas for s in area.sentences)


@pytest.mark.usefixtures("loaded_small_catalog")
def test_the_verdict_without_any_benchmark_says_so():
    # No benchmark defined at all: no aggregate (PostgreSQL refused the empty IN with a 500).
    from benchmarks.selectors import performance_verdict

    found = performance_verdict(["alpha", "beta"])
    assert found.headline.startswith("No stored benchmark compares these platforms")


def test_what_is_missing_is_said_once_per_area_however_many_platforms():
    four = {"hyper-v": "Hyper-V", "vmware-esxi": "ESXi", "kvm": "KVM", "xcp-ng": "XCP-ng"}
    rows = [m("kvm", 1, 95.0), m("bare-metal", 1, 100.0)]
    area = verdicts.area_verdict("cpu", rows, four, SOURCES)
    assert area.sentences[1:] == (
        "No same-host measurement against bare metal yet of: Hyper-V, ESXi, XCP-ng.",
        "No same-host comparison yet of: Hyper-V – ESXi; Hyper-V – KVM; Hyper-V – XCP-ng; "
        "ESXi – KVM; ESXi – XCP-ng; KVM – XCP-ng.",
    )
    assert area.sentences[0].startswith("KVM reached 95% of bare metal")


def test_the_missing_lists_read_as_chinese_lists_on_chinese_pages():
    from django.utils import translation

    three = {"hyper-v": "Hyper-V", "vmware-esxi": "ESXi", "kvm": "KVM"}
    with translation.override("zh-hans"):
        area = verdicts.area_verdict("cpu", [], three, SOURCES)
    assert area.sentences == (
        "以下平台尚无与裸金属在同一主机上的测量：Hyper-V、ESXi、KVM。",
        "以下平台之间尚无在同一主机上的比较：Hyper-V – ESXi；Hyper-V – KVM；ESXi – KVM。",
    )

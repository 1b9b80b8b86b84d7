"""A verification pass's mechanical checks: rules on made-up catalogues, and the shipped one."""

from pathlib import Path

import pytest
from helpers import REPO

from comparisons.catalog import Catalog, Entry, read_catalog
from comparisons.catalog_audit import (
    audit,
    concern_matches,
    errors,
    factcheck_contradictions,
    is_ip_host,
    vendor_source_gaps,
    weakness,
)

CATALOG = REPO / "fixtures" / "catalog"


def _catalog(claims, sources=()):
    catalog = Catalog()
    catalog.sources = [Entry("sources/x.yaml", i, s) for i, s in enumerate(sources, 1)]
    catalog.claims = [
        Entry("claims/kvm.yaml", i, {"platform": "kvm", **c}) for i, c in enumerate(claims, 1)
    ]
    return catalog


VENDOR = {
    "key": "v",
    "url": "https://github.com/qemu/qemu/blob/" + "a" * 40 + "/docs/x.rst",
    "kind": "vendor-doc",
}
MIRROR = {"key": "m", "url": "https://wikimili.com/en/KVM"}
SHOP = {"key": "s", "url": "https://softwaredeals.com/blog/x"}
IP = {"key": "ip", "url": "http://38.142.81.21:8001/manual/page-1.html"}


def _claim(**over):
    base = {
        "feature": "live-migration",
        "from": "10.0",
        "support": "full",
        "status": "published",
        "citations": [{"source": "v", "quote": "q", "stance": "supports"}],
    }
    return {**base, **over}


def kinds(catalog, level="error"):
    return sorted({f.kind for f in audit(catalog) if f.level == level})


def test_the_shipped_catalogue_has_no_mechanical_errors():
    parsed, problems = read_catalog(CATALOG)
    assert problems == []
    assert [f"{f.kind}: {f.where}: {f.message}" for f in errors(parsed)] == []


def test_a_clean_claim_has_no_finding():
    assert audit(_catalog([_claim()], [VENDOR])) == []


def test_a_published_unknown_is_an_error_and_a_draft_unknown_is_not():
    published = _catalog([_claim(support="unknown", note="searched x", citations=[])], [VENDOR])
    assert kinds(published) == ["value vs status"]
    draft = _catalog([_claim(support="unknown", status="draft", note="searched x")], [VENDOR])
    assert errors(draft) == []


def test_a_claim_resting_only_on_weak_hosts_cannot_be_published():
    for weak in (MIRROR, SHOP, IP):
        only_weak = _claim(citations=[{"source": weak["key"], "quote": "q"}])
        assert "weak source" in kinds(_catalog([only_weak], [VENDOR, weak])), weak["url"]
    # beside a canonical source, a mirror is fine (an archive copy)
    both = _claim(
        citations=[{"source": "v", "quote": "q"}, {"source": "m", "quote": "q"}],
    )
    assert errors(_catalog([both], [VENDOR, MIRROR])) == []
    # ... but not in front of it: readers see the first source first
    mirror_first = _claim(
        citations=[{"source": "m", "quote": "q"}, {"source": "v", "quote": "q"}],
    )
    assert kinds(_catalog([mirror_first], [VENDOR, MIRROR])) == ["weak source first"]
    # a draft may rest on anything while it waits for a better source
    draft = _claim(status="draft", citations=[{"source": "m", "quote": "q"}])
    assert errors(_catalog([draft], [VENDOR, MIRROR])) == []


def test_a_contradicting_weak_citation_does_not_count_as_support():
    claim = _claim(
        citations=[
            {"source": "v", "quote": "q", "stance": "supports"},
            {"source": "s", "quote": "q", "stance": "contradicts"},
        ]
    )
    assert errors(_catalog([claim], [VENDOR, SHOP])) == []


def test_a_source_on_a_raw_ip_address_is_an_error_even_unused():
    assert kinds(_catalog([], [IP])) == ["weak source"]
    assert is_ip_host("http://[2001:db8::1]/x")
    assert not is_ip_host("https://docs.xcp-ng.org/x")


def test_an_unpinned_raw_github_url_is_an_error():
    unpinned = {
        "key": "r",
        "url": "https://raw.githubusercontent.com/SUSE/doc-sle/refs/heads/main/x.xml",
    }
    assert kinds(_catalog([], [unpinned])) == ["unpinned source"]


def test_weakness_names_the_kind():
    assert weakness(MIRROR["url"]) == "mirror"
    assert weakness(SHOP["url"]) == "shop"
    assert weakness(IP["url"]) == "raw IP address"
    assert weakness("https://docs.rs/crate/x") == "third-party library docs"
    assert weakness(VENDOR["url"]) is None


def test_notes_that_read_like_another_value_are_listed_for_review_not_failed():
    full_but_not = _claim(note="Not supported on AMD hosts.")
    none_but_yes = _claim(support="none", note="Fully supported since 8.1.")
    unknown_with_answer = _claim(support="unknown", status="draft", note="Introduced in 9.1.")
    catalog = _catalog([full_but_not, none_but_yes, unknown_with_answer], [VENDOR])
    reviews = [f for f in audit(catalog) if f.level == "review"]
    assert len(reviews) == 3
    assert {f.kind for f in reviews} == {"value vs note"}
    assert errors(catalog) == []


def test_findings_list_errors_first():
    claims = [_claim(note="not confirmed"), _claim(feature="x", support="unknown", note="n")]
    catalog = _catalog(claims, [VENDOR])
    levels = [f.level for f in audit(catalog)]
    assert levels == sorted(levels, key=lambda level: level != "error")
    assert Path(CATALOG).is_dir()


def test_the_command_lists_findings_and_fails_on_errors(tmp_path, small_catalog, capsys):
    from django.core.management import CommandError, call_command
    from helpers import write_catalog

    clean = write_catalog(tmp_path / "clean", small_catalog)
    call_command("audit_catalog", str(clean))
    small_catalog["sources/alpha.yaml"][0]["url"] = "http://203.0.113.5/manual.html"
    broken = write_catalog(tmp_path / "broken", small_catalog)
    with pytest.raises(CommandError, match=r"[1-9]\d* error\(s\)"):
        call_command("audit_catalog", str(broken))
    assert "URL on a raw IP address: http://203.0.113.5/manual.html" in capsys.readouterr().out


def _with_features(catalog, *features):
    catalog.categories = [
        Entry("categories.yaml", 1, {"slug": "mobility", "features": list(features)}),
        Entry("categories.yaml", 2, {"slug": "licensing", "features": [{"slug": "licence-model"}]}),
    ]
    return catalog


def test_a_published_feature_claim_needs_a_vendor_grade_source_not_press_or_a_copy():
    sources = [
        {**VENDOR, "kind": "vendor-doc"},
        {"key": "p", "url": "https://blog.example.net/x", "kind": "press"},
        {**MIRROR, "kind": "mirror", "archive_of": "https://en.wikipedia.org/wiki/KVM"},
    ]
    press_only = _claim(citations=[{"source": "p", "quote": "q"}])
    copy_only = _claim(feature="vtpm", citations=[{"source": "m", "quote": "q"}])
    vendor = _claim(feature="x", citations=[{"source": "p"}, {"source": "v"}])
    licence = _claim(feature="licence-model", citations=[{"source": "p", "quote": "q"}])
    draft = _claim(feature="y", status="draft", citations=[{"source": "p"}])
    catalog = _with_features(
        _catalog([press_only, copy_only, vendor, licence, draft], sources),
        {"slug": "live-migration"},
        {"slug": "vtpm"},
    )
    assert vendor_source_gaps(catalog) == ["kvm/live-migration@10.0", "kvm/vtpm@10.0"]
    reviews = {f.where for f in audit(catalog) if f.kind == "no vendor source"}
    assert reviews == {"kvm/live-migration@10.0", "kvm/vtpm@10.0"}


def test_a_copy_without_its_canonical_page_is_listed_with_who_cites_it():
    copy = {**MIRROR, "kind": "mirror"}
    cited = _claim(citations=[{"source": "v", "quote": "q"}, {"source": "m", "quote": "q"}])
    findings = [f for f in audit(_catalog([cited], [VENDOR, copy])) if f.kind.startswith("copy")]
    assert [(f.level, f.where) for f in findings] == [("review", "source m")]
    assert "cited by kvm/live-migration@10.0" in findings[0].message
    named = {**copy, "archive_of": "https://en.wikipedia.org/wiki/KVM"}
    assert not [f for f in audit(_catalog([cited], [VENDOR, named])) if f.kind.startswith("copy")]


def test_a_claim_that_contradicts_its_fact_check_is_an_error():
    claims = [
        _claim(feature="nested-virtualization", **{"from": "2019"}, support="partial"),
        _claim(feature="nested-virtualization", **{"from": "2022"}, support="none"),
        _claim(feature="nested-virtualization", **{"from": "2025"}, support="none", status="draft"),
    ]
    catalog = _catalog(claims, [VENDOR])
    catalog.factchecks = [
        Entry(
            "factchecks.yaml",
            1,
            {
                "slug": "no-nesting",
                "verdict": "outdated",
                "claims": [
                    {
                        "platform": "kvm",
                        "feature": "nested-virtualization",
                        "from": "2019",
                        "expects": ["partial", "full"],
                    },
                    {
                        "platform": "kvm",
                        "feature": "nested-virtualization",
                        "from": "2022",
                        "expects": ["full"],
                    },
                    {"platform": "kvm", "feature": "nested-virtualization"},  # a link only
                ],
            },
        )
    ]
    found = factcheck_contradictions(catalog)
    assert [(f.where, f.level) for f in found] == [("kvm/nested-virtualization@2022", "error")]
    assert "fact check no-nesting (outdated) expects full" in found[0].message
    assert concern_matches({"platform": "kvm", "feature": "f"}, "kvm", "f", "9")
    assert not concern_matches({"platform": "kvm", "feature": "f", "from": "8"}, "kvm", "f", "9")


def test_a_shop_never_supports_a_feature_claim_even_beside_the_vendor():
    both = _claim(citations=[{"source": "v", "quote": "q"}, {"source": "s", "quote": "q"}])
    catalog = _with_features(_catalog([both], [VENDOR, SHOP]), {"slug": "live-migration"})
    assert kinds(catalog) == ["shop as a feature source"]
    # commercial terms may cite a reseller beside the vendor
    licence = _claim(
        feature="licence-model",
        citations=[{"source": "v", "quote": "q"}, {"source": "s", "quote": "q"}],
    )
    assert errors(_with_features(_catalog([licence], [VENDOR, SHOP]))) == []

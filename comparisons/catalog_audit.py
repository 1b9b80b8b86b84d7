"""Mechanical checks for the kinds of catalogue error a second verification pass found.

Pure: takes a parsed catalogue (comparisons.catalog.read_catalog) and returns findings. Two
levels: ``error`` (the shipped catalogue must have none; tests enforce it) and ``review`` (a
pattern worth a human look, e.g. a note that reads like a different value; listed by
``python manage.py audit_catalog``, not enforced).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from comparisons.catalog import Catalog

PUBLISHED = ("published", "disputed")

# Source kinds that can stand for the vendor's (or the project's) own word on a feature or a
# limit; press, forums, papers, benchmark reports and copies cannot on their own.
VENDOR_GRADE = ("vendor-doc", "source-code", "release-notes", "kb", "standards", "vendor-blog")
# Commercial terms (licence models, free editions) are often only stated by resellers and the
# press; every other support or number feature needs a vendor-grade source.
NO_VENDOR_DOCS_NEEDED = ("licensing",)

# Hosts that are never a source on their own: copies of other sites (mirrors, scrapes, document
# dumps, wiki copies), shops and resellers, and generated docs of third-party client libraries.
# A claim may cite them only beside a canonical source that is not on this list.
WEAK_HOSTS: dict[str, str] = {
    # mirrors, scraped copies and document dumps
    "a.osmarks.net": "mirror",
    "wiki.camac.ltd": "mirror",
    "wikimili.com": "mirror",
    "friendlywiki.com": "mirror",
    "fdocuments.us": "mirror",
    "vdocument.in": "mirror",
    "studylib.net": "mirror",
    "de.scribd.com": "mirror",
    "www.scribd.com": "mirror",
    "issuhub.com": "mirror",
    "www.aidoos.com": "mirror",
    "lenovopress.150505.xyz": "mirror",
    "gitea.lierfang.com": "mirror",
    "docsearch.algolia.com": "mirror",
    "pastebin.com": "mirror",
    "thewindowsupdate.com": "mirror",
    "practicetestfree.com": "mirror",
    "itexamsolutions.net": "mirror",
    # shops and resellers
    "softwaredeals.com": "shop",
    "licenseday.com": "shop",
    "pgupdate.in": "shop",
    # a third-party client library's generated docs
    "docs.rs": "third-party library docs",
}

# Words in a note that say the thing is (partly) missing or unverified; and the opposite.
_NEGATIVE = re.compile(
    r"\b(not supported|no support|unsupported|not available|is not possible|cannot be|"
    r"unconfirmed|not confirmed|not verified)\b",
    re.I,
)
_AFFIRMATIVE_ANSWER = re.compile(
    r"\b(is supported|are supported|fully supported|supported since|supported from|"
    r"available since|introduced in|added in)\b",
    re.I,
)


@dataclass(frozen=True)
class Finding:
    level: str  # "error" | "review"
    kind: str
    where: str
    message: str


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_ip_host(url: str) -> bool:
    try:
        ipaddress.ip_address(host_of(url))
    except ValueError:
        return False
    return True


def weakness(url: str) -> str | None:
    """Why a URL cannot stand alone as a source, or None."""
    if is_ip_host(url):
        return "raw IP address"
    return WEAK_HOSTS.get(host_of(url))


_BRANCHES = {"main", "master", "HEAD", "refs"}


def _raw_github_on_branch(url: str) -> bool:
    """raw.githubusercontent.com/<owner>/<repo>/<ref>/...: a branch moves, a commit does not."""
    if host_of(url) != "raw.githubusercontent.com":
        return False
    parts = urlsplit(url).path.split("/")
    return len(parts) > 3 and parts[3] in _BRANCHES


def _claim_label(data: dict) -> str:
    label = f"{data.get('platform')}/{data.get('feature')}@{data.get('from')}"
    if data.get("until") is not None:
        label += f"..{data['until']}"
    if data.get("edition"):
        label += f" [{data['edition']}]"
    return label


def _features(catalog: Catalog) -> dict[str, tuple[str, str]]:
    """Feature slug -> (category slug, feature kind)."""
    return {
        f.get("slug"): (c.data.get("slug"), f.get("kind", "support"))
        for c in catalog.categories
        for f in c.data.get("features") or []
    }


def needs_vendor_docs(category: str, feature_kind: str) -> bool:
    return feature_kind in ("support", "number") and category not in NO_VENDOR_DOCS_NEEDED


def vendor_source_gaps(catalog: Catalog) -> list[str]:
    """Published claims that need vendor documentation but rest on none: every supporting
    source is press, a forum, a paper or a copy. Labels, sorted."""
    sources = {e.data.get("key"): e.data for e in catalog.sources}
    features = _features(catalog)
    gaps = []
    for entry in catalog.claims:
        data = entry.data
        if data.get("status") not in PUBLISHED:
            continue
        category, kind = features.get(data.get("feature"), ("", "support"))
        if not needs_vendor_docs(category, kind):
            continue
        kinds = [
            sources.get(c.get("source"), {}).get("kind")
            for c in data.get("citations") or []
            if c.get("stance", "supports") == "supports"
        ]
        if not any(k in VENDOR_GRADE for k in kinds):
            gaps.append(_claim_label(data))
    return sorted(gaps)


def _copy_findings(catalog: Catalog, sources: dict) -> list[Finding]:
    """A mirror or archive copy should name the canonical URL it copies; listed for review
    (some copies outlived the page they copy), with who cites it."""
    cited: dict[str, str] = {}
    for entry in catalog.claims:
        if entry.data.get("status") in PUBLISHED:
            for c in entry.data.get("citations") or []:
                cited.setdefault(c.get("source"), _claim_label(entry.data))
    for entry in catalog.factchecks:
        for key in entry.data.get("sources") or []:
            cited.setdefault(key, f"fact check {entry.data.get('slug')}")
    findings = []
    for key, data in sources.items():
        if data.get("kind") != "mirror" or data.get("archive_of"):
            continue
        user = cited.get(key)
        findings.append(
            Finding(
                "review",
                "copy without canonical",
                f"source {key}",
                "a mirror or archive copy must name the canonical URL it copies (archive_of)"
                + (f"; cited by {user}" if user else ""),
            )
        )
    return findings


def concern_matches(concern: dict, platform: str, feature: str, first_release: str) -> bool:
    """Whether a fact check's concern names this claim: its platform and feature, and its
    first release when the concern gives one."""
    if concern.get("platform") != platform or concern.get("feature") != feature:
        return False
    return concern.get("from") is None or str(concern["from"]) == str(first_release)


def factcheck_contradictions(catalog: Catalog) -> list[Finding]:
    """A published claim whose support level is not one its fact check's verdict allows."""
    findings = []
    for fc in catalog.factchecks:
        for concern in fc.data.get("claims") or []:
            expects = concern.get("expects") or []
            if not expects:
                continue
            for entry in catalog.claims:
                data = entry.data
                if data.get("status") not in PUBLISHED or not concern_matches(
                    concern, data.get("platform"), data.get("feature"), data.get("from")
                ):
                    continue
                if data.get("support") not in expects:
                    findings.append(
                        Finding(
                            "error",
                            "fact check vs claim",
                            _claim_label(data),
                            f"says {data.get('support')!r} but fact check {fc.data.get('slug')} "
                            f"({fc.data.get('verdict')}) expects {' or '.join(expects)}",
                        )
                    )
    return findings


def audit(catalog: Catalog) -> list[Finding]:
    """Every finding for the catalogue, errors first."""
    sources = {e.data.get("key"): e.data for e in catalog.sources}
    findings: list[Finding] = _copy_findings(catalog, sources) + factcheck_contradictions(catalog)
    findings += [
        Finding("review", "no vendor source", label, "no vendor-grade supporting source")
        for label in vendor_source_gaps(catalog)
    ]

    for entry in catalog.sources:
        url = str(entry.data.get("url", ""))
        if is_ip_host(url):
            findings.append(
                Finding("error", "weak source", entry.where(), f"URL on a raw IP address: {url}")
            )
        if _raw_github_on_branch(url):
            findings.append(
                Finding(
                    "error",
                    "unpinned source",
                    entry.where(),
                    "raw GitHub URL on a branch; pin it to the commit read",
                )
            )

    features = _features(catalog)
    for entry in catalog.claims:
        data = entry.data
        where = _claim_label(data)
        status, support = data.get("status"), data.get("support")
        note = str(data.get("note") or "")
        published = status in PUBLISHED
        if published and support == "unknown":
            findings.append(
                Finding("error", "value vs status", where, "a published claim says 'unknown'")
            )
        supporting = [
            c for c in data.get("citations") or [] if c.get("stance", "supports") == "supports"
        ]
        if published and supporting:
            urls = [str(sources.get(c.get("source"), {}).get("url", "")) for c in supporting]
            weak = [weakness(url) for url in urls]
            if all(weak):
                findings.append(
                    Finding(
                        "error",
                        "weak source",
                        where,
                        "every supporting source is weak (" + ", ".join(sorted(set(weak))) + ")",
                    )
                )
            elif weak[0]:
                findings.append(
                    Finding(
                        "error",
                        "weak source first",
                        where,
                        f"the first source is a {weak[0]}; put the canonical source first",
                    )
                )
            category = features.get(data.get("feature"), ("", ""))[0]
            if "shop" in weak and category not in NO_VENDOR_DOCS_NEEDED:
                findings.append(
                    Finding(
                        "error",
                        "shop as a feature source",
                        where,
                        "a shop or reseller supports a feature claim; cite the vendor instead",
                    )
                )
        # Patterns for a human: the note may hold a different answer than the value.
        if support == "full" and _NEGATIVE.search(note):
            findings.append(
                Finding("review", "value vs note", where, "'full' but the note says: " + note[:160])
            )
        if support == "none" and _AFFIRMATIVE_ANSWER.search(note) and not _NEGATIVE.search(note):
            findings.append(
                Finding("review", "value vs note", where, "'none' but the note says: " + note[:160])
            )
        if support == "unknown" and _AFFIRMATIVE_ANSWER.search(note):
            findings.append(
                Finding(
                    "review", "value vs note", where, "'unknown' but the note says: " + note[:160]
                )
            )

    findings.sort(key=lambda f: (f.level != "error", f.kind, f.where))
    return findings


def errors(catalog: Catalog) -> list[Finding]:
    return [f for f in audit(catalog) if f.level == "error"]

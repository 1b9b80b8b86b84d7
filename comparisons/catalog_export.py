"""Write the catalogue from the database back to YAML files in the loader's format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.utils import translation

from .catalog import concern_fields, en_sha
from .models import Category, Claim, FactCheck, Feature, Platform, Source, Vendor


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class Chinese(str):
    """A *_zh text: a long one goes on one line of a literal block, because a folded
    (wrapped) line reads back with a space where it broke and Chinese has no spaces."""


def _chinese_representer(dumper: yaml.SafeDumper, value: Chinese):
    style = "|" if "\n" in value or len(value) > 60 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(Chinese, _chinese_representer)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


def _compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional keys so files stay short and diffs small."""
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}


def _number(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _zh(obj, field: str) -> str:
    return Chinese(getattr(obj, f"{field}_zh_hans") or "")


def catalog_files() -> dict[str, str]:
    """Relative path → file text, for the whole catalogue (English as the source language)."""
    with translation.override("en"):
        return _catalog_files()


def _catalog_files() -> dict[str, str]:
    files = {
        "vendors.yaml": dump_yaml([_vendor(v) for v in Vendor.objects.order_by("pk")]),
        "categories.yaml": dump_yaml(_categories()),
    }
    platforms = Platform.objects.select_related("vendor").prefetch_related("releases", "editions")
    for p in platforms:
        files[f"platforms/{p.slug}.yaml"] = dump_yaml(_platform(p))
    for name, rows in _source_files(list(Source.objects.order_by("key"))).items():
        files[f"sources/{name}.yaml"] = dump_yaml([_source(s) for s in rows])
    files |= _claim_files()
    fact_checks = FactCheck.objects.prefetch_related("sources").order_by("position")
    if fact_checks:
        files["factchecks.yaml"] = dump_yaml([_fact_check(f) for f in fact_checks])
    return files


def _vendor(v: Vendor) -> dict:
    return {"slug": v.slug, "name": v.name, "homepage": v.homepage or None}


def _categories() -> list[dict]:
    features_by_category: dict[int, list[Feature]] = {}
    for feature in Feature.objects.order_by("position"):
        features_by_category.setdefault(feature.category_id, []).append(feature)
    return [
        _compact({"slug": c.slug, "name": c.name, "name_zh": _zh(c, "name")})
        | {"features": [_feature(f) for f in features_by_category.get(c.pk, [])]}
        for c in Category.objects.order_by("position")
    ]


def _feature(f: Feature) -> dict:
    return _compact(
        {
            "slug": f.slug,
            "name": f.name,
            "name_zh": _zh(f, "name"),
            "kind": f.kind,
            "unit": f.unit,
            "better": f.better,
            "description": f.description,
            "description_zh": _zh(f, "description"),
            "aliases": list(f.aliases),
            # The usual importance (2) is left out to keep the file short.
            "importance": f.importance if f.importance != 2 else None,
        }
    )


def _platform(p: Platform) -> dict:
    return {
        "slug": p.slug,
        "name": p.name,
        **({"name_zh": _zh(p, "name")} if _zh(p, "name") else {}),
        "vendor": p.vendor.slug,
        "kind": p.kind,
        "position": p.position,
        "summary": p.summary,
        **({"summary_zh": _zh(p, "summary")} if _zh(p, "summary") else {}),
        "homepage": p.homepage or None,
        "is_baseline": p.is_baseline,
        **({"aliases": list(p.aliases)} if p.aliases else {}),
        "releases": [
            _compact(
                {
                    "version": r.version,
                    "released": r.released,
                    "end_of_support": r.end_of_support,
                    "current": r.is_current,
                    "notes": r.notes,
                }
            )
            for r in sorted(p.releases.all(), key=lambda r: r.position)
        ],
        "editions": [
            _compact(
                {
                    "name": e.name,
                    "description": e.description,
                    "description_zh": _zh(e, "description"),
                }
            )
            for e in sorted(p.editions.all(), key=lambda e: e.position)
        ],
    }


def _source(s: Source) -> dict:
    return _compact(
        {
            "key": s.key,
            "url": s.url,
            "title": s.title,
            "publisher": s.publisher,
            "kind": s.kind,
            "archive_of": s.archive_of,
            "published": s.published,
            "checked": s.checked,
            "affiliation": s.affiliation,
            "affiliated_with": s.affiliated_with,
        }
    )


def _claim_files() -> dict[str, str]:
    """claims/<platform>.yaml, and claims_zh/<platform>.yaml for the claims with Chinese."""
    claims = (
        Claim.objects.select_related(
            "platform", "feature", "release_from", "release_until", "edition"
        )
        .prefetch_related("citations__source")
        .order_by(
            "platform__position",
            "feature__category__position",
            "feature__position",
            "release_from__position",
            "edition__position",
        )
    )
    by_platform: dict[str, list[dict]] = {}
    chinese: dict[str, list[dict]] = {}
    for c in claims:
        if _zh(c, "text") or _zh(c, "note"):
            chinese.setdefault(c.platform.slug, []).append(_claim_chinese(c))
        by_platform.setdefault(c.platform.slug, []).append(_claim(c))
    files = {f"claims/{slug}.yaml": dump_yaml(rows) for slug, rows in by_platform.items()}
    return files | {f"claims_zh/{slug}.yaml": dump_yaml(rows) for slug, rows in chinese.items()}


def _claim(c: Claim) -> dict:
    return _compact(
        {
            "feature": c.feature.slug,
            "from": c.release_from.version,
            "until": c.release_until.version if c.release_until else None,
            "edition": c.edition.name if c.edition else None,
            "support": c.support,
            "value": _number(c.value),
            "text": c.text,
            "note": c.note,
            "status": c.status,
            "confidence": c.confidence,
            "citations": [
                _compact(
                    {
                        "source": cit.source.key,
                        "locator": cit.locator,
                        "quote": cit.quote,
                        "stance": cit.stance,
                    }
                )
                for cit in c.citations.all()
            ],
        }
    )


def _fact_check(f: FactCheck) -> dict:
    return _compact(
        {
            "slug": f.slug,
            "statement": f.statement,
            "statement_zh": _zh(f, "statement"),
            "original_zh": Chinese(f.original_zh),
            "verdict": f.verdict,
            "explanation": f.explanation,
            "explanation_zh": _zh(f, "explanation"),
            "sources": sorted(s.key for s in f.sources.all()),
            # Rebuilt in a fixed key order: PostgreSQL's jsonb reorders keys.
            "claims": [concern_fields(c) for c in f.concerns],
        }
    )


def _claim_chinese(c: Claim) -> dict:
    """A claim's Chinese with the hash of the English it translates (claims_zh/ format)."""
    return _compact(
        {
            "feature": c.feature.slug,
            "from": c.release_from.version,
            "edition": c.edition.name if c.edition else None,
            "text_zh": _zh(c, "text"),
            "text_en_sha": en_sha(c.text) if _zh(c, "text") else None,
            "note_zh": _zh(c, "note"),
            "note_en_sha": en_sha(c.note) if _zh(c, "note") else None,
        }
    )


def _source_files(sources: list[Source]) -> dict[str, list[Source]]:
    """Sources are filed by the owner their key prefix names (ms- → hyper-v, ...)."""
    owners = {
        "ms": "hyper-v",
        "vmw": "vmware-esxi",
        "pve": "proxmox-ve",
        "xcp": "xcp-ng",
        "ntx": "nutanix-ahv",
        "kvm": "kvm",
        "fc": "factchecks",
        "bench": "benchmarks",
        "price": "prices",
        "mig": "migrations",
    }
    files: dict[str, list[Source]] = {}
    for source in sources:
        owner = owners.get(source.key.split("-", 1)[0], "general")
        files.setdefault(owner, []).append(source)
    return files


def export_catalog(root: Path) -> list[Path]:
    written = []
    for rel, text in catalog_files().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

"""The Chinese of claim texts and notes: kept in claims_zh/, used while its hash matches."""

import re

import pytest
import yaml
from helpers import DATA, REPO, write_catalog

from comparisons.catalog import (
    chinese_for,
    en_sha,
    read_catalog,
    translation_status,
    unfold_chinese,
)
from comparisons.catalog_export import catalog_files
from comparisons.models import Claim, FactCheck
from comparisons.services import load_catalog_dir

CATALOG = REPO / "fixtures" / "catalog"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
# Notes of draft claims still without Chinese (Nutanix AHV drafts): may only go down.
MISSING_NOTES_AT_MOST = 29


def test_a_translation_is_used_while_its_hash_matches_the_english():
    claim = {"text": "VMDK", "note": "Why."}
    chinese = {"text_zh": "VMDK 格式", "text_en_sha": en_sha("VMDK"), "note_zh": "原因。"}
    assert chinese_for(claim, chinese) == {"text": "VMDK 格式", "note": ""}  # note: no hash
    changed = {"text": "VMDK and RDM", "note": "Why."}
    assert chinese_for(changed, chinese)["text"] == ""  # stale: the English moved on


def test_en_sha_is_the_first_12_hex_of_sha256():
    assert en_sha("abc") == "ba7816bf8f01"


def test_folded_yaml_loses_the_spaces_between_chinese_characters():
    folded = yaml.safe_load("explanation_zh: >-\n  这一框架。\n  我们查阅了 Hyper-V\n  文档。\n")
    assert folded["explanation_zh"] == "这一框架。 我们查阅了 Hyper-V 文档。"
    assert unfold_chinese(folded)["explanation_zh"] == "这一框架。我们查阅了 Hyper-V 文档。"
    assert unfold_chinese({"explanation": "A. B"}) == {"explanation": "A. B"}


@pytest.fixture
def translated(tmp_path, small_catalog, db):
    small_catalog["claims_zh/alpha.yaml"] = [
        {
            "feature": "live-migration",
            "from": "1.0",
            "note_zh": "需要共享存储。",
            "note_en_sha": en_sha("Needs shared storage."),
        }
    ]
    small_catalog["claims/alpha.yaml"][1]["note"] = "Works across hosts."
    small_catalog["claims_zh/alpha.yaml"].append(
        {"feature": "live-migration", "from": "2.0", "note_zh": "旧译文。", "note_en_sha": "0" * 12}
    )
    load_catalog_dir(write_catalog(tmp_path / "catalog", small_catalog))
    return Claim.objects.filter(platform__slug="alpha", feature__slug="live-migration")


def test_loader_stores_a_current_translation_and_drops_a_stale_one(translated):
    first, second = translated.order_by("release_from__position")
    assert (first.note_en, first.note_zh_hans) == ("Needs shared storage.", "需要共享存储。")
    assert second.note_zh_hans == ""


def test_claim_page_shows_the_chinese_note_on_chinese_pages_and_english_otherwise(
    client, translated
):
    first, second = translated.order_by("release_from__position")
    assert "需要共享存储。" in client.get(f"/claims/{first.pk}/", **ZH).content.decode()
    assert "Needs shared storage." in client.get(f"/claims/{first.pk}/").content.decode()
    # The stale translation falls back to the English.
    assert "Works across hosts." in client.get(f"/claims/{second.pk}/", **ZH).content.decode()


def test_api_claim_answers_in_the_language_asked_for(client, translated):
    first = translated.order_by("release_from__position")[0]
    assert client.get(f"/api/v1/claims/{first.pk}/", **ZH).json()["note"] == "需要共享存储。"
    assert client.get(f"/api/v1/claims/{first.pk}/").json()["note"] == "Needs shared storage."


def test_export_writes_the_chinese_back_with_the_hash(translated):
    exported = yaml.safe_load(catalog_files()["claims_zh/alpha.yaml"])
    assert exported == [
        {
            "feature": "live-migration",
            "from": "1.0",
            "note_zh": "需要共享存储。",
            "note_en_sha": en_sha("Needs shared storage."),
        }
    ]


def test_a_chinese_text_without_its_hash_is_refused(tmp_path, small_catalog, db):
    from comparisons.catalog import CatalogInvalid

    small_catalog["claims_zh/alpha.yaml"] = [
        {"feature": "live-migration", "from": "1.0", "note_zh": "需要共享存储。"}
    ]
    with pytest.raises(CatalogInvalid, match="1 problem"):
        load_catalog_dir(write_catalog(tmp_path / "catalog", small_catalog))


# The shipped catalogue ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    catalog, problems = read_catalog(CATALOG)
    assert problems == []
    return catalog, translation_status(catalog)


def _published(catalog):
    return {
        (e.data["platform"], e.data["feature"], str(e.data["from"]), e.data.get("edition"))
        for e in catalog.claims
        if e.data.get("status") in ("published", "disputed")
    }


def test_no_shipped_translation_is_stale_or_orphaned(shipped):
    """A stale entry: the English changed after it was translated (re-translate it and
    update its hash); an orphan: its claim is gone or changed identity."""
    _, status = shipped
    assert status.stale == []
    assert status.orphans == []


def test_every_published_claim_has_its_text_and_note_in_chinese(shipped):
    catalog, status = shipped
    published = _published(catalog)
    assert [(key, name) for key, name in status.missing if key in published] == []


def test_claim_notes_without_chinese_do_not_grow(shipped):
    _, status = shipped
    missing = [key for key, name in status.missing if name == "note"]
    assert len(missing) <= MISSING_NOTES_AT_MOST


def test_shipped_chinese_claims_keep_the_glossary_and_have_no_stray_space(shipped):
    from comparisons import glossary

    catalog, _ = shipped
    texts = [
        (f"{e.file} {e.data['feature']}@{e.data['from']}.{name}", e.data[name])
        for e in catalog.claims_zh
        for name in ("text_zh", "note_zh")
        if e.data.get(name)
    ]
    assert [str(hit) for hit in glossary.lint(texts)] == []
    assert [(w, p) for w, t in texts for p in glossary.typography(t)] == []


# Fact checks ----------------------------------------------------------------------------


def _flat(text):
    return re.sub(r"\s+", "", text.replace("**", ""))


def test_fact_check_quotations_are_the_original_answer_word_for_word():
    original = _flat((DATA / "original-question.txt").read_text(encoding="utf-8"))
    facts = yaml.safe_load((CATALOG / "factchecks.yaml").read_text(encoding="utf-8"))
    quoted = [f for f in facts if f.get("original_zh")]
    assert len(quoted) >= 12
    for fact in quoted:
        for part in fact["original_zh"].split("……"):
            assert _flat(part) in original, fact["slug"]


def test_fact_check_page_labels_the_original_wording(client, loaded_small_catalog, tmp_path):
    FactCheck.objects.create(
        slug="s",
        statement="KVM is a type 2 hypervisor.",
        statement_zh_hans="KVM 是 Type 2 Hypervisor。",
        original_zh="KVM 是寄居式的。",
        verdict="wrong",
        explanation="No.",
        explanation_zh_hans="不对。",
    )
    chinese = client.get("/fact-checks/", **ZH).content.decode()
    assert "KVM 是 Type 2 Hypervisor。" in chinese
    assert "原回答原文" in chinese
    assert "KVM 是寄居式的。" in chinese
    english = client.get("/fact-checks/").content.decode()
    assert "Original wording" in english


def test_fact_check_concerns_are_named_in_the_readers_language(client, loaded_small_catalog):
    from comparisons.models import Feature

    Feature.objects.filter(slug="live-migration").update(name_zh_hans="实时迁移")
    FactCheck.objects.create(
        slug="s",
        statement="Alpha cannot live-migrate.",
        verdict="wrong",
        explanation="It can.",
        concerns=[{"platform": "alpha", "feature": "live-migration"}],
    )
    assert "Alpha · 实时迁移" in client.get("/fact-checks/", **ZH).content.decode()
    assert "Alpha · Live migration" in client.get("/fact-checks/").content.decode()


def test_the_status_command_lists_stale_translations(tmp_path, small_catalog):
    from io import StringIO

    from django.core.management import call_command

    small_catalog["claims_zh/alpha.yaml"] = [
        {"feature": "live-migration", "from": "1.0", "note_zh": "旧译文。", "note_en_sha": "0" * 12}
    ]
    root = write_catalog(tmp_path / "catalog", small_catalog)
    out = StringIO()
    call_command("claims_zh_status", str(root), stdout=out)
    assert "stale\tpublished\talpha/live-migration/1.0\tnote" in out.getvalue()
    assert out.getvalue().rstrip().endswith("1 stale, 0 missing, 0 orphaned")

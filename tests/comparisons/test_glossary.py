"""One word per concept in reader-visible Chinese, and the search in the readers' words."""

import polib
import pytest
import yaml
from helpers import REPO

from comparisons import glossary

PO = REPO / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Word-for-word quotations of the original answer: not running text.
QUOTATIONS = {"original_zh"}


def _walk(node, where, out):
    if isinstance(node, dict):
        label = node.get("slug") or node.get("name") or node.get("feature") or ""
        for key, value in node.items():
            here = f"{where}[{label}].{key}" if label else f"{where}.{key}"
            if isinstance(value, str) and key.endswith("_zh") and key not in QUOTATIONS:
                out.append((here, value))
            else:
                _walk(value, where, out)
    elif isinstance(node, list):
        for item in node:
            _walk(item, where, out)


def reader_texts() -> list[tuple[str, str]]:
    """Every msgstr of the .po and every *_zh field of the fixtures, with where it sits."""
    texts = []
    for entry in polib.pofile(str(PO)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                texts.append((f"django.po msgid {entry.msgid[:40]!r}", text))
    for path in sorted((REPO / "fixtures").rglob("*.yaml")):
        if path.name == "glossary.yaml":
            continue
        _walk(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(REPO)), texts)
    return texts


def test_the_texts_walked_are_the_reader_visible_ones():
    texts = reader_texts()
    assert len(texts) > 690
    assert any(where.startswith("django.po") for where, _ in texts)
    assert any(".description_zh" in where for where, _ in texts)


def test_no_rejected_variant_in_reader_visible_chinese():
    hits = glossary.lint(reader_texts())
    assert [str(hit) for hit in hits] == []


def test_lint_finds_a_rejected_variant_and_a_pattern():
    sample = [("a", "在来宾中运行"), ("b", "暂无运行。"), ("c", "暂无运行记录。"), ("d", "Hyper-V")]
    found = {(hit.where, hit.variant) for hit in glossary.lint(sample)}
    assert found == {("a", "来宾"), ("b", "暂无运行")}


def test_no_stray_space_in_reader_visible_chinese():
    problems = [
        f"{where}: {problem}"
        for where, text in reader_texts()
        for problem in glossary.typography(text)
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("这一框架。 我们查阅", True),
        ("同一 虚拟机内部", True),
        ("在 Hyper-V 中", False),
        ("（如 VMFS）", False),
        ("共 3 台主机", False),
    ],
)
def test_typography_flags_spaces_between_chinese_only(text, problem):
    assert bool(glossary.typography(text)) is problem


def test_normalize_ignores_spaces_width_and_case():
    assert glossary.normalize("虚拟 TPM") == glossary.normalize("虚拟TPM") == "虚拟tpm"
    assert glossary.normalize("ＶＭｏｔｉｏｎ") == "vmotion"


def test_a_variant_also_searches_the_preferred_term():
    assert "实时迁移" in glossary.needles("热迁移")
    assert "内存过量分配" in glossary.needles("内存超配")

"""One word per concept in reader-visible Chinese, and the search in the readers' words."""

import functools

import polib
import pytest
import yaml
from helpers import REPO

from comparisons import glossary

PO = REPO / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Word-for-word quotations of the original answer: not running text.
QUOTATIONS = {"original_zh"}
# libyaml's parser when PyYAML has it (the same documents, ~10x faster than pure Python).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


@functools.cache
def reader_texts() -> tuple[tuple[str, str], ...]:
    """Every msgstr of the .po and every *_zh field of the fixtures, with where it sits
    (read once per test process: three tests walk them)."""
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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        _walk(data, str(path.relative_to(REPO)), texts)
    return tuple(texts)


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
        ("在Hyper-V中", True),
        ("共%(n)s台", False),
    ],
)
def test_typography_flags_stray_and_missing_spaces(text, problem):
    assert bool(glossary.typography(text)) is problem


def test_normalize_ignores_spaces_width_and_case():
    assert glossary.normalize("虚拟 TPM") == glossary.normalize("虚拟TPM") == "虚拟tpm"
    assert glossary.normalize("ＶＭｏｔｉｏｎ") == "vmotion"


def test_a_variant_also_searches_the_preferred_term():
    assert "实时迁移" in glossary.needles("热迁移")
    assert "内存过量分配" in glossary.needles("内存超配")


# Search in the readers' own words ------------------------------------------------------
# Every technical term of the original Chinese question (tests/data/original-question.txt)
# that names a feature of the catalogue, and the feature it must find on Chinese pages.
# Left out, because the catalogue has no such feature: 分区调度算法 and 宽限期调度 (the fact
# checks explain that neither is a real scheduler), 硬件辅助虚拟化/VT-x/AMD-V, 直通磁盘, HCL.
QUESTION_TERMS = [
    ("Type 1", "hypervisor-architecture"),
    ("Type-1", "hypervisor-architecture"),
    ("裸机虚拟化", "hypervisor-architecture"),
    ("嵌套虚拟化", "nested-virtualization"),
    ("AMD SEV", "amd-sev-snp"),
    ("动态内存", "dynamic-memory"),
    ("Dynamic Memory", "dynamic-memory"),
    ("透明页共享", "page-sharing"),
    ("TPS", "page-sharing"),
    ("内存压缩", "memory-compression"),
    ("内存过量分配", "memory-overcommit"),
    ("Memory Overcommit", "memory-overcommit"),
    ("VHDX", "virtual-disk-format"),
    ("SMB 3.0", "smb-storage"),
    ("Storage Spaces Direct", "hyperconverged-storage"),
    ("S2D", "hyperconverged-storage"),
    ("超融合", "hyperconverged-storage"),
    ("VMFS", "cluster-file-system"),
    ("vSAN", "hyperconverged-storage"),
    ("分布式存储", "hyperconverged-storage"),
    ("SR-IOV", "sr-iov"),
    ("虚拟交换机", "virtual-switch"),
    ("QoS", "network-qos"),
    ("NSX-T", "sdn-overlay"),
    ("网络虚拟化", "sdn-overlay"),
    ("微分段", "micro-segmentation"),
    ("负载均衡", "automatic-load-balancing"),
    ("热迁移", "live-migration"),
    ("Live Migration", "live-migration"),
    ("存储迁移", "live-storage-migration"),
    ("Azure Arc", "azure-arc"),
    ("Active Directory", "directory-integration"),
    ("PowerShell", "cli"),
    ("Linux Integration Services", "linux-mainline-drivers"),
    ("Shielded VM", "shielded-vms"),
    ("vMotion", "live-migration"),
    ("无共享存储迁移", "shared-nothing-migration"),
    ("DRS", "automatic-load-balancing"),
    ("动态资源调度", "automatic-load-balancing"),
    ("资源调度", "automatic-load-balancing"),
    ("HA", "ha-restart"),
    ("高可用性", "ha-restart"),
    ("GPU 直通", "gpu-passthrough"),
    ("容器化", "integrated-kubernetes"),
    ("Tanzu", "integrated-kubernetes"),
    ("Kubernetes", "integrated-kubernetes"),
    ("许可证", "licence-model"),
    ("vSphere Enterprise Plus", "licence-model"),
    ("SCVMM", "central-management"),
    ("System Center", "central-management"),
    ("vCenter", "central-management"),
    ("容灾", "orchestrated-dr"),
    ("Veeam", "veeam-support"),
    ("免费版", "free-edition"),
    ("标准版", "windows-guest-licensing"),
    ("数据中心版", "windows-guest-licensing"),
    ("安全启动", "guest-secure-boot"),
    ("虚拟TPM", "vtpm"),
    ("虚拟 TPM", "vtpm"),
]


def _chinese_features():
    from comparisons.matrix import FeatureInfo

    categories = yaml.safe_load((REPO / "fixtures/catalog/categories.yaml").read_text())
    return [
        FeatureInfo(
            slug=f["slug"],
            name=f.get("name_zh") or f["name"],
            description=f.get("description_zh") or f.get("description", ""),
            aliases=tuple(f.get("aliases", [])),
            kind=f.get("kind", "support"),
            unit=f.get("unit", ""),
            better=f.get("better", ""),
            category_slug=c["slug"],
            category_name=c.get("name_zh") or c["name"],
            english=f"{f['name']} {f.get('description', '')}",
        )
        for c in categories
        for f in c["features"]
    ]


def test_the_terms_come_from_the_original_question():
    original = glossary.normalize((REPO / "tests/data/original-question.txt").read_text())
    missing = [term for term, _ in QUESTION_TERMS if glossary.normalize(term) not in original]
    assert missing == []


@pytest.mark.parametrize(("term", "slug"), QUESTION_TERMS)
def test_every_term_of_the_original_question_finds_its_feature(term, slug):
    from comparisons.matrix import matches

    found = [f.slug for f in _chinese_features() if matches(f, term)]
    assert slug in found, found


@pytest.mark.django_db
def test_the_matrix_and_the_api_search_in_the_readers_words(client, small_catalog, tmp_path):
    from helpers import write_catalog

    from comparisons.services import load_catalog_dir

    feature = small_catalog["categories.yaml"][0]["features"][0]
    feature["name_zh"] = "实时迁移"
    load_catalog_dir(write_catalog(tmp_path / "catalog", small_catalog))
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    matrix = client.get("/api/v1/matrix/?platforms=alpha,beta&q=热迁移", **zh).json()
    assert [r["name"] for c in matrix["categories"] for r in c["rows"]] == ["实时迁移"]
    features = client.get("/api/v1/features/?search=热迁移", **zh).json()
    assert [f["slug"] for f in features["results"]] == ["live-migration"]
    # Full-width letters and spaces make no difference.
    features = client.get("/api/v1/features/?search=ＶＭｏｔｉｏｎ", **zh).json()
    assert [f["slug"] for f in features["results"]] == ["live-migration"]

import pytest
import yaml
from django.utils import translation
from helpers import REPO, write_catalog

from comparisons.catalog_export import catalog_files
from comparisons.models import FactCheck, Feature, Scenario
from comparisons.services import load_catalog_dir, load_scenarios

pytestmark = pytest.mark.django_db
CATALOG = REPO / "fixtures" / "catalog"


@pytest.fixture
def bilingual(tmp_path, small_catalog):
    feature = small_catalog["categories.yaml"][0]["features"][0]
    feature["name_zh"] = "热迁移"
    feature["description_zh"] = "在不停机的情况下将运行中的虚拟机迁移到另一台主机。"
    small_catalog["categories.yaml"][0]["name_zh"] = "迁移"
    load_catalog_dir(write_catalog(tmp_path / "catalog", small_catalog))


def test_loader_stores_both_languages_and_export_writes_them_back(bilingual):
    feature = Feature.objects.get(slug="live-migration")
    assert (feature.name_en, feature.name_zh_hans) == ("Live migration", "热迁移")
    exported = yaml.safe_load(catalog_files()["categories.yaml"])
    assert exported[0]["name_zh"] == "迁移"
    assert exported[0]["features"][0]["name_zh"] == "热迁移"
    assert "name_zh" not in exported[0]["features"][1]  # untranslated stays absent


def test_api_answers_in_the_language_asked_for(client, bilingual):
    english = client.get("/api/v1/features/live-migration/").json()
    chinese = client.get("/api/v1/features/live-migration/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert english["name"] == "Live migration"
    assert chinese["name"] == "热迁移"
    assert chinese["category_name"] == "迁移"
    # English fills the gaps of an untranslated entry.
    other = client.get("/api/v1/features/max-vcpus-per-vm/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert other.json()["name"] == "Maximum vCPUs per VM"


def test_matrix_search_matches_english_terms_on_chinese_pages(client, bilingual):
    data = client.get(
        "/api/v1/matrix/?platforms=alpha,beta&q=live", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()
    assert [r["name"] for c in data["categories"] for r in c["rows"]] == ["热迁移"]


def test_a_fact_check_reads_in_chinese_with_english_filling_gaps(small_catalog, tmp_path):
    small_catalog["factchecks.yaml"] = [
        {
            "slug": "alpha-wrong",
            "statement": "Alpha cannot live-migrate.",
            "statement_zh": "Alpha 不能实时迁移。",
            "verdict": "wrong",
            "explanation": "It can since 2.0.",
            "sources": ["alpha-docs"],
            "claims": [{"platform": "alpha", "feature": "live-migration"}],
        }
    ]
    load_catalog_dir(write_catalog(tmp_path / "catalog", small_catalog))
    check = FactCheck.objects.get()
    assert (check.statement_en, check.statement_zh_hans) == (
        "Alpha cannot live-migrate.",
        "Alpha 不能实时迁移。",
    )
    with translation.override("zh-hans"):
        assert check.statement == "Alpha 不能实时迁移。"
        assert check.explanation == "It can since 2.0."  # no Chinese: the English
    assert check.statement == "Alpha cannot live-migrate."
    exported = yaml.safe_load(catalog_files()["factchecks.yaml"])[0]
    assert exported["statement_zh"] == "Alpha 不能实时迁移。"
    assert "explanation_zh" not in exported


def test_a_scenario_reads_in_chinese_with_english_filling_gaps(db, tmp_path):
    path = tmp_path / "scenarios.yaml"
    scenario = {"slug": "lab", "name": "Home lab", "name_zh": "家庭实验室", "rationale": "Cheap."}
    path.write_text(yaml.safe_dump([scenario | {"category_weights": {}}], allow_unicode=True))
    with translation.override("zh-hans"):  # the loader stores English whatever is active
        load_scenarios(path)
        stored = Scenario.objects.get()
        assert (stored.name, stored.rationale, stored.description) == ("家庭实验室", "Cheap.", "")
    assert (stored.name_en, stored.name_zh_hans, stored.rationale_zh_hans) == (
        "Home lab",
        "家庭实验室",
        "",
    )
    assert stored.name == "Home lab"
    assert load_scenarios(path).unchanged["scenarios"] == 1


def test_the_scenario_api_keeps_name_zh_beside_the_translated_name(client, db, tmp_path):
    path = tmp_path / "scenarios.yaml"
    scenario = {"slug": "lab", "name": "Home lab", "name_zh": "家庭实验室", "rationale": "Cheap."}
    path.write_text(yaml.safe_dump([scenario | {"category_weights": {}}], allow_unicode=True))
    load_scenarios(path)
    english = client.get("/api/v1/scenarios/lab/").json()
    chinese = client.get("/api/v1/scenarios/lab/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert (english["name"], english["name_zh"]) == ("Home lab", "家庭实验室")
    assert (chinese["name"], chinese["name_zh"], chinese["rationale"]) == (
        "家庭实验室",
        "家庭实验室",
        "Cheap.",
    )


def test_every_shipped_catalogue_text_has_its_chinese_twin():
    categories = yaml.safe_load((CATALOG / "categories.yaml").read_text())
    missing = [c["slug"] for c in categories if not c.get("name_zh")]
    for category in categories:
        for feature in category["features"]:
            for field in ("name", "description"):
                if feature.get(field) and not feature.get(f"{field}_zh"):
                    missing.append(f"{feature['slug']}.{field}")
    for path in (CATALOG / "platforms").glob("*.yaml"):
        platform = yaml.safe_load(path.read_text())
        if platform.get("summary") and not platform.get("summary_zh"):
            missing.append(f"{platform['slug']}.summary")
        for edition in platform.get("editions") or []:
            if edition.get("description") and not edition.get("description_zh"):
                missing.append(f"{platform['slug']}:{edition['name']}")
    facts = yaml.safe_load((CATALOG / "factchecks.yaml").read_text())
    missing += [f["slug"] for f in facts if not (f.get("statement_zh") and f.get("explanation_zh"))]
    scenarios = yaml.safe_load((REPO / "fixtures" / "scenarios.yaml").read_text())
    missing += [s["slug"] for s in scenarios if not (s.get("name_zh") and s.get("rationale_zh"))]
    assert missing == []

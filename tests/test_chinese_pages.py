"""Chinese outside the catalogue: benchmark and metric names, the baseline's name, the
500 page, and how lists and sentences are joined."""

import pytest
import yaml
from django.test import Client
from helpers import REPO

from benchmarks.models import Benchmark, Metric
from comparisons import glossary
from comparisons.models import Platform

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
BENCHMARKS = REPO / "fixtures" / "benchmarks"


def test_every_shipped_benchmark_and_metric_has_a_chinese_name():
    chinese = yaml.safe_load((BENCHMARKS / "benchmarks_zh.yaml").read_text())
    missing = []
    for name in ("benchmarks.yaml", "published-benchmarks.yaml"):
        for benchmark in yaml.safe_load((BENCHMARKS / name).read_text()):
            if not (chinese.get(benchmark["slug"]) or {}).get("name_zh"):
                missing.append(benchmark["slug"])
            missing += [
                f"{benchmark['slug']}:{m['slug']}"
                for m in benchmark.get("metrics") or []
                if m["slug"] not in chinese["metrics"]
            ]
    assert missing == []


@pytest.mark.django_db
def test_benchmark_names_follow_the_readers_language(client, benchmark_catalog):
    benchmark = Benchmark.objects.get(slug="sysbench-cpu")
    assert (benchmark.name_en, benchmark.name_zh_hans) == (
        "sysbench: CPU (primes up to 10000)",
        "sysbench：CPU（计算 10000 以内的素数）",
    )
    metric = Metric.objects.get(benchmark=benchmark, slug="events-per-second")
    assert metric.name_zh_hans == "每秒事件数"
    page = client.get("/benchmarks/", **ZH).content.decode()
    assert "sysbench：CPU（计算 10000 以内的素数）" in page
    assert "每秒事件数" in page
    assert "sysbench: CPU (primes up to 10000)" in client.get("/benchmarks/").content.decode()


@pytest.mark.django_db
def test_the_bare_metal_baseline_has_a_chinese_name(client, benchmark_catalog):
    bare = Platform.objects.get(slug="bare-metal")
    assert (bare.name_en, bare.name_zh_hans) == (
        "Bare metal (no hypervisor)",
        "裸金属（无 Hypervisor）",
    )
    assert "裸金属（无 Hypervisor）" in client.get("/platforms/bare-metal/", **ZH).content.decode()


@pytest.mark.django_db
def test_the_500_page_speaks_chinese(loaded_small_catalog, monkeypatch):
    monkeypatch.setattr("comparisons.selectors.matrix_page", lambda *a, **k: 1 / 0)
    client = Client(raise_request_exception=False)
    chinese = client.get("/compare/?platforms=alpha,beta", **ZH)
    assert chinese.status_code == 500
    assert '<html lang="zh-Hans">' in chinese.content.decode()
    assert "出错了" in chinese.content.decode()
    english = client.get("/compare/?platforms=alpha,beta").content.decode()
    assert "Something went wrong" in english


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (("排名第一。", "如果权重提高，B 将反超。"), "排名第一。如果权重提高，B 将反超。"),
        (("A leads.", "B would overtake."), "A leads. B would overtake."),
        (("A leads.", ""), "A leads."),
    ],
)
def test_sentences_are_joined_as_the_language_writes_them(parts, joined):
    assert glossary.sentences(*parts) == joined


def test_lists_are_joined_with_the_chinese_enumeration_comma():
    assert glossary.join_list(["7.0", "8.0"], "zh-hans") == "7.0、8.0"
    assert glossary.join_list(["7.0", "8.0"], "en") == "7.0, 8.0"

"""The kit page, the kit download and the same-host page."""

import hashlib

import pytest
from helpers import REPO, make_runs

from benchmarks import same_host
from benchmarks.models import Environment, Run

KIT = REPO / "kit" / "virtcompare_bench.py"


def row(run_id, platform, value, metric="events-per-second", better="higher"):
    return same_host.HostResult(
        run_id,
        "sysbench-cpu",
        "sysbench: CPU",
        metric,
        metric.title(),
        "events/s",
        better,
        platform,
        "Bare metal" if platform == "bare-metal" else "Alpha",
        "baseline" if platform == "bare-metal" else "2.0",
        value,
    )


def test_same_host_puts_bare_metal_first_and_computes_overhead_from_three_runs_each():
    rows = [row(i, "alpha", 900.0 + i) for i in range(3)]
    rows += [row(10 + i, "bare-metal", 1000.0 + i) for i in range(3)]
    (block,) = same_host.compare(rows, resamples=200)
    assert block.comparable
    (metric,) = block.metrics
    baseline, alpha = metric.lines
    assert baseline.is_baseline
    assert baseline.overhead is None
    assert alpha.run_ids == (0, 1, 2)
    assert alpha.overhead.relative == pytest.approx(901 / 1001)
    assert alpha.overhead_text.startswith("Alpha 2.0 reaches 90.0% of bare metal")


def test_same_host_with_too_few_runs_says_so_and_lower_is_better_is_inverted():
    rows = [row(1, "alpha", 2.0, "latency-avg", "lower"), row(2, "bare-metal", 1.0, "latency-avg")]
    (block,) = same_host.compare(rows, resamples=200)
    assert block.metrics[0].lines[1].overhead is None
    assert "Too few runs" in block.metrics[0].lines[1].overhead_text
    rows = [row(i, "alpha", 2.0, "latency-avg", "lower") for i in range(3)]
    rows += [row(10 + i, "bare-metal", 1.0, "latency-avg", "lower") for i in range(3)]
    (block,) = same_host.compare(rows, resamples=200)
    assert block.metrics[0].lines[1].overhead.relative == pytest.approx(0.5)


def test_same_host_without_baseline_is_not_comparable():
    (block,) = same_host.compare([row(1, "alpha", 5.0)], resamples=200)
    assert not block.has_baseline
    assert not block.comparable


def test_pairing_tag_is_read_from_the_kits_host_identity():
    assert same_host.pairing_tag("Paired host 3f9a2c1d4e5f") == "3f9a2c1d4e5f"
    assert same_host.pairing_tag("AMD EPYC 7443P") == ""


@pytest.mark.usefixtures("benchmark_catalog")
def test_host_page_compares_each_platform_with_bare_metal(client):
    make_runs(8)
    environment = Environment.objects.get()
    flagged = Run.objects.filter(platform__slug="alpha").first()
    flagged.status, flagged.status_reason = Run.Status.FLAGGED, "far from this host's runs"
    flagged.save()
    response = client.get(f"/benchmarks/hosts/{environment.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Same-host comparison: Test CPU" in text
    assert "of bare metal" in text  # 3 alpha runs against 4 bare-metal runs
    assert "n=3 vs 4 bare-metal runs" in text
    # 3 and 4 runs: the range is shown with its real coverage, never called a 95% interval
    assert "n too small for a 95% interval" in text
    assert "95% CI" not in text
    assert f'href="/runs/{flagged.pk}/"' in text
    assert "far from this host&#x27;s runs" in text
    for run in Run.objects.accepted():
        assert f'href="/runs/{run.pk}/"' in text


@pytest.mark.usefixtures("benchmark_catalog")
def test_host_page_as_an_htmx_fragment(client):
    make_runs(2)
    environment = Environment.objects.get()
    response = client.get(f"/benchmarks/hosts/{environment.pk}/", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="host">')
    assert "<html" not in text
    assert "Too few runs" in text


@pytest.mark.usefixtures("benchmark_catalog")
@pytest.mark.parametrize("runs", [4, 40])
def test_host_page_query_count_does_not_grow_with_runs(client, django_assert_num_queries, runs):
    make_runs(runs)
    environment = Environment.objects.get()
    with django_assert_num_queries(3):
        assert client.get(f"/benchmarks/hosts/{environment.pk}/").status_code == 200


@pytest.mark.django_db
def test_unknown_host_is_404(client):
    assert client.get("/benchmarks/hosts/999999/").status_code == 404


@pytest.mark.usefixtures("benchmark_catalog")
def test_run_page_links_to_its_host(client):
    make_runs(1)
    run = Run.objects.get()
    text = client.get(f"/runs/{run.pk}/").content.decode()
    assert f'href="/benchmarks/hosts/{run.environment_id}/"' in text


@pytest.mark.usefixtures("benchmark_catalog")
def test_kit_page_shows_the_file_its_hash_and_the_commands(client):
    response = client.get("/benchmarks/kit/")
    assert response.status_code == 200
    text = response.content.decode()
    digest = hashlib.sha256(KIT.read_bytes()).hexdigest()
    assert digest in text
    assert "curl -fO http://testserver/benchmarks/kit/virtcompare_bench.py" in text
    assert "submit --server http://testserver --token YOUR_TOKEN" in text
    assert 'href="/benchmarks/sysbench-cpu/"' in text  # what it measures, linked
    # standard: fio 30 s x 5, sysbench 20 s x 3, stress-ng 30 s, plus setup, 5 rounds
    assert "about 24 minutes in all" in text
    assert "about 3 minutes in all" in text  # quick: 180 s of measuring, plus setup
    assert "fio: random read, 4 KiB</a> · 30 s" in text  # standard's shortened runtime
    assert "Each token may send 240 submissions an hour" in text
    assert "the longest suite sends 55 per run" in text
    assert "Never sent: hostnames" in text


@pytest.mark.usefixtures("benchmark_catalog")
def test_kit_page_as_an_htmx_fragment(client):
    text = client.get("/benchmarks/kit/", HTTP_HX_REQUEST="true").content.decode()
    assert text.lstrip().startswith('<div id="kit">')
    assert "<html" not in text


@pytest.mark.usefixtures("benchmark_catalog")
def test_kit_page_in_chinese(client):
    client.cookies["django_language"] = "zh-hans"
    text = client.get("/benchmarks/kit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "基准测试套件" in text


def test_kit_download_is_the_file_byte_for_byte(client):
    response = client.get("/benchmarks/kit/virtcompare_bench.py")
    assert response.status_code == 200
    assert response.content == KIT.read_bytes()
    assert response["Content-Disposition"] == 'attachment; filename="virtcompare_bench.py"'
    assert response["X-Content-SHA256"] == hashlib.sha256(KIT.read_bytes()).hexdigest()


@pytest.mark.usefixtures("benchmark_catalog")
def test_chart_pages_link_each_host_to_its_page(client):
    make_runs(6)
    environment = Environment.objects.get()
    text = client.get("/benchmarks/sysbench-cpu/").content.decode()
    link = f"/benchmarks/hosts/fingerprint/{environment.fingerprint}/"
    assert f'href="{link}"' in text
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"/benchmarks/hosts/{environment.pk}/"
    assert client.get("/benchmarks/hosts/fingerprint/nope/").status_code == 404


@pytest.mark.django_db
def test_the_benchmark_index_points_to_the_kit(client):
    assert 'href="/benchmarks/kit/"' in client.get("/benchmarks/").content.decode()


@pytest.mark.usefixtures("benchmark_catalog")
def test_a_busy_host_shows_eight_run_links_per_line_and_folds_the_rest(client):
    make_runs(40)  # 20 alpha and 20 bare-metal runs
    environment = Environment.objects.get()
    text = client.get(f"/benchmarks/hosts/{environment.pk}/").content.decode()
    assert text.count('<details class="more-runs"><summary>and 12 more runs</summary>') == 2
    for run in Run.objects.accepted():  # every run is still one click away
        assert f'href="/runs/{run.pk}/"' in text
    chinese = client.get(
        f"/benchmarks/hosts/{environment.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "<summary>另有 12 条运行记录</summary>" in chinese

"""The run page: where a run leads, what it says about dates, VMs and numbers."""

import datetime

import pytest
from django.utils import translation
from factories import SourceFactory
from helpers import make_runs

from benchmarks.models import Result, Run
from portal.numbers import tidy

pytestmark = pytest.mark.usefixtures("benchmark_catalog")


@pytest.fixture
def runs():
    make_runs(4, value_base=200000.0)
    return list(Run.objects.order_by("pk"))


def test_run_page_links_to_chart_platform_host_and_sibling_runs(client, runs):
    run = runs[0]
    html = client.get(f"/runs/{run.pk}/").content.decode()
    assert 'href="/benchmarks/sysbench-cpu/"' in html
    assert f'href="/benchmarks/sysbench-cpu/?environment={"f" * 32}"' in html
    assert f'href="/platforms/{run.platform.slug}/"' in html
    assert f'href="/benchmarks/hosts/{run.environment_id}/"' in html
    siblings = html.split('<ul class="sibling-runs">')[1].split("</ul>")[0]
    assert [f'href="/runs/{r.pk}/"' in siblings for r in runs] == [False, True, True, True]
    assert "3 other runs on this host" in html


def test_run_page_with_a_vcpu_count_but_no_memory_omits_the_memory(client, runs):
    html = client.get(f"/runs/{runs[0].pk}/").content.decode()
    assert "<dd>4 vCPUs</dd>" in html
    assert "— GB" not in html
    assert "— vCPUs" not in html


def test_run_page_without_vm_details_says_so_once(client, runs):
    vm, bare = runs[0], runs[1]  # make_runs alternates alpha and bare metal
    Run.objects.filter(pk__in=[vm.pk, bare.pk]).update(vm_vcpus=None, guest_os="")
    html = client.get(f"/runs/{vm.pk}/").content.decode()
    assert "<h2>Virtual machine</h2>" not in html
    assert "The submission gives no details of the virtual machine." in html
    assert "vCPUs" not in html.split("<h2>Virtual")[0].split("<h2>Host")[-1]
    bare_html = client.get(f"/runs/{bare.pk}/").content.decode()
    assert "no details of the virtual machine" not in bare_html


def test_imported_run_shows_the_sources_date_and_labels_the_import_time(client, runs):
    source = SourceFactory(published=datetime.date(2014, 7, 21))
    Run.objects.filter(pk=runs[0].pk).update(source=source)
    html = client.get(f"/runs/{runs[0].pk}/").content.decode()
    assert "published 2014-07-21" in html
    assert "imported here " in html
    assert "submitted " not in html.split("<h2>")[0].split("<h1>")[1]
    undated = SourceFactory(published=None)
    Run.objects.filter(pk=runs[1].pk).update(source=undated)
    assert "publication date not recorded" in client.get(f"/runs/{runs[1].pk}/").content.decode()


def test_run_page_numbers_have_separators_and_no_trailing_zeros(client, runs):
    Result.objects.filter(run=runs[0]).update(value=94.4)
    Result.objects.filter(run=runs[1]).update(value=200000)
    assert "<td>94.4 " in client.get(f"/runs/{runs[0].pk}/").content.decode()
    assert "<td>200,000 " in client.get(f"/runs/{runs[1].pk}/").content.decode()
    zh = client.get(f"/runs/{runs[1].pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<td>200,000 " in zh


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (94.4, "94.4"),
        ("94.400", "94.4"),
        (200000, "200,000"),
        (1234.56789, "1,234.568"),
        (0.000123456, "0.000123"),
        (-0.0, "0"),
        (None, ""),
    ],
)
def test_numbers_are_tidy_in_both_languages(value, text):
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert tidy(value) == text


def test_the_chart_page_statistics_use_tidy_numbers(client, runs):
    html = client.get("/benchmarks/sysbench-cpu/").content.decode()
    table = html.split('<table class="stats">')[1].split("</table>")[0]
    assert "200,00" in table
    assert ".000<" not in table

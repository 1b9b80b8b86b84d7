"""The compare page's parts drawn in Python (compare_html, performance_html and the summary
rows of matrix_html): what a reader sees, in both languages, escaped once."""

import pytest
from django.utils import translation

from benchmarks.verdicts import AreaVerdict, Verdict
from comparisons import compare_html, matrix, performance_html
from comparisons.matrix_html import category_summary_rows

pytestmark = pytest.mark.django_db


def _column(slug, name, version, position=1):
    release = matrix.ReleaseInfo(position, version, position)
    return matrix.Column(slug, name, release, (release,))


def test_the_picker_ticks_the_columns_and_selects_their_release_else_the_current_one(
    client, loaded_small_catalog
):
    html = client.get("/compare/?platforms=alpha@1.0,beta").content.decode()
    assert '<input type="checkbox" name="platform" value="alpha" id="pick-alpha" checked>' in html
    assert '<option value="1.0" selected>1.0</option>' in html  # the column's release
    assert '<option value="2.0">2.0 (current)</option>' in html
    assert '<option value="7" selected>7 (current)</option>' in html
    assert '<label class="visually-hidden" for="release-alpha">Alpha release</label>' in html


def test_platform_picks_escape_names_and_translate_the_current_mark(
    client, small_catalog, tmp_path
):
    from helpers import write_catalog

    from comparisons.selectors import platform_choices
    from comparisons.services import load_catalog_dir

    small_catalog["platforms/alpha.yaml"]["name"] = "Alpha <b>"
    load_catalog_dir(write_catalog(tmp_path / "catalog", small_catalog))
    with translation.override("zh-hans"):
        html = compare_html.platform_picks(platform_choices(), {})
    assert '<label for="pick-alpha">Alpha &lt;b&gt;</label>' in html
    assert "<b>" not in html
    assert " checked>" not in html  # nothing chosen
    # Not chosen: the current release is selected, marked in the reader's language.
    assert '<option value="2.0" selected>2.0 （当前）</option>' in html


def test_remove_links_appear_only_above_two_columns_with_the_query_escaped():
    two = [_column("alpha", "Alpha", "2.0"), _column("beta", "Beta", "7")]
    with translation.override("en"):
        assert 'class="remove"' not in compare_html.column_headers(two, {})
        three = [*two, _column("gamma", "Gamma & Co", "1")]
        links = {c.slug: f"platforms=x,y&q={c.slug}" for c in three}
        html = compare_html.column_headers(three, links)
    assert html.count('class="remove"') == 3
    assert 'href="/compare/?platforms=x,y&amp;q=gamma"' in html
    assert 'aria-label="Remove Gamma &amp; Co"' in html
    assert '<a href="/platforms/gamma/">Gamma &amp; Co</a>' in html


def test_category_checkboxes_are_ticked_for_the_chosen_categories():
    html = compare_html.category_toggles([("cpu", "CPU"), ("net", "Net <1>")], ("net",))
    assert 'id="cat-cpu">' in html
    assert 'id="cat-net" checked>' in html
    assert "Net &lt;1&gt;" in html


def test_the_category_summary_words_each_tally_in_the_active_language():
    counts = (
        matrix.CategoryCount(full=3, partial=1, unknown=2, limits=1, not_applicable=1),
        matrix.CategoryCount(full=4),
    )
    grid = matrix.Matrix(
        columns=(_column("alpha", "Alpha", "2.0"), _column("beta", "Beta", "7")),
        blocks=(matrix.CategoryBlock(slug="cpu", name="CPU", rows=(), counts=counts),),
        filters=matrix.Filters(),
        top_differences=(),
        total_features=5,
        shown_features=5,
        all_categories=(("cpu", "CPU"),),
    )
    with translation.override("en"):
        english = category_summary_rows(grid)
    assert english == (
        '<tr><th scope="row">CPU</th>'
        "<td>3 full / 1 partial · 1 limit stated · 1 not applicable"
        ' <span class="muted">(2 unknown)</span></td>'
        "<td>4 full / 0 partial</td></tr>\n"
    )
    with translation.override("zh-hans"):
        chinese = category_summary_rows(grid)
    assert "full" not in chinese
    assert "unknown" not in chinese


def test_the_verdict_lists_pairs_then_each_area_with_its_charts():
    verdict = Verdict(
        areas=(
            AreaVerdict("storage", ("First <one>.", "Second."), ("fio-randread-4k",), True),
            AreaVerdict("cpu", ("Nothing yet.",), (), False),
        ),
        headline="Some evidence.",
        pairs=("A against B: close.",),
    )
    with translation.override("en"):
        html = performance_html.verdict_html(verdict)
    assert html.startswith('<ul class="verdict-pairs"><li>A against B: close.</li></ul>')
    assert "<dt>Storage</dt><dd>First &lt;one&gt;. Second." in html
    assert (
        '<br><span class="muted">Charts: '
        '<a href="/benchmarks/fio-randread-4k/">fio-randread-4k</a></span>'
    ) in html
    assert "<dt>CPU</dt><dd>Nothing yet.</dd>" in html
    with translation.override("zh-hans"):
        chinese = performance_html.verdict_html(verdict)
    assert "First &lt;one&gt;.Second." in chinese  # Chinese runs sentences together
    assert "<dt>Storage</dt>" not in chinese


def test_the_performance_table_says_why_a_cell_is_empty(benchmark_catalog):
    from benchmarks.models import Metric

    metric = Metric.objects.select_related("benchmark").order_by("pk").first()
    columns = [_column("alpha", "Alpha", "2.0"), _column("beta", "Beta", "7")]
    entry = {"benchmark": metric.benchmark, "metric": metric, "relative": {"alpha": 0.9123}}
    with translation.override("en"):
        html = performance_html.performance_rows([entry], columns)
    url = f"{metric.benchmark.get_absolute_url()}?metric={metric.slug}"
    assert f'<a href="{url}">{metric.benchmark.name}</a>' in html
    assert "<td>91.2% of bare metal</td>" in html
    assert '<td><span class="muted">not enough runs on a shared host</span></td>' in html

"""Long pages a reader scans: contents, filters, and text in the reader's language."""

import pytest

from comparisons.models import FactCheck

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def fact_checks(loaded_small_catalog):
    FactCheck.objects.create(
        slug="alpha-wrong",
        statement="Alpha cannot live-migrate.",
        statement_zh_hans="Alpha 不能实时迁移。",
        original_zh="Alpha 不支持热迁移。",
        verdict="wrong",
        explanation="It can since 2.0.",
        explanation_zh_hans="自 2.0 起可以。",
        concerns=[{"platform": "alpha", "feature": "live-migration"}],
        position=1,
    )
    FactCheck.objects.create(
        slug="beta-accurate",
        statement="Beta is free.",
        verdict="accurate",
        explanation="Yes.",
        concerns=[{"platform": "beta", "feature": "live-migration"}],
        position=2,
    )


def test_fact_checks_have_a_table_of_contents(client, fact_checks):
    html = client.get("/fact-checks/").content.decode()
    toc = html.split('<nav class="toc"')[1].split("</nav>")[0]
    assert '<a href="#alpha-wrong">Alpha cannot live-migrate.</a>' in toc
    assert '<a href="#beta-accurate">Beta is free.</a>' in toc
    assert 'id="alpha-wrong"' in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?verdict=wrong", "alpha-wrong", "beta-accurate"),
        ("?platform=beta", "beta-accurate", "alpha-wrong"),
        ("?verdict=wrong&platform=alpha", "alpha-wrong", "beta-accurate"),
    ],
)
def test_fact_checks_filter_by_verdict_and_platform(client, fact_checks, query, shown, hidden):
    html = client.get(f"/fact-checks/{query}").content.decode()
    assert f'id="{shown}"' in html
    assert f'id="{hidden}"' not in html
    assert "1 of 2 fact checks shown" in html


def test_an_unknown_fact_check_filter_is_a_400_naming_it(client, fact_checks):
    response = client.get("/fact-checks/?verdict=maybe")
    assert response.status_code == 400
    assert "Select a valid choice. maybe is not one of the available choices." in (
        response.content.decode()
    )


def test_the_english_fact_check_page_prints_no_chinese_explanation(client, fact_checks):
    html = client.get("/fact-checks/").content.decode()
    assert "It can since 2.0." in html
    assert "自 2.0 起可以。" not in html
    # The quoted original answer stays, marked as Chinese.
    assert '<q lang="zh-Hans">Alpha 不支持热迁移。</q>' in html
    chinese = client.get("/fact-checks/", **ZH).content.decode()
    assert "自 2.0 起可以。" in chinese
    assert "It can since 2.0." not in chinese


def test_the_platform_page_has_contents_with_every_category(client, loaded_small_catalog):
    html = client.get("/platforms/alpha/").content.decode()
    toc = html.split('<nav class="toc"')[1].split("</nav>")[0]
    for anchor in ("#releases", "#compare-with", "#claims"):
        assert f'href="{anchor}"' in toc
        assert f'id="{anchor[1:]}"' in html
    categories = [part.split('"')[0] for part in toc.split('href="#category-')[1:]]
    assert categories
    assert all(f'id="category-{slug}"' in html for slug in categories)


def test_the_platform_page_filters_by_support_and_words(client, loaded_small_catalog):
    everything = client.get("/platforms/alpha/").content.decode()
    assert 'id="feature-live-migration"' in everything
    searched = client.get("/platforms/alpha/?q=vmotion").content.decode()
    assert 'id="feature-live-migration"' in searched
    assert searched.count('<tr id="feature-') < everything.count('<tr id="feature-')
    unknown = client.get("/platforms/alpha/?support=unknown").content.decode()
    assert 'id="feature-live-migration"' not in unknown
    assert client.get("/platforms/alpha/?support=maybe").status_code == 400


def test_platform_sources_name_the_page_not_only_the_publisher(client, loaded_small_catalog):
    from comparisons.models import Source

    source = Source.objects.filter(citations__claim__platform__slug="alpha").first()
    html = client.get("/platforms/alpha/").content.decode()
    assert f'nofollow">{source.title}</a> <span class="muted">({source.publisher})</span>' in html


def test_a_platform_alias_redirects_to_its_page(client, loaded_small_catalog):
    from comparisons.models import Platform

    Platform.objects.filter(slug="alpha").update(aliases=["alfa"])
    response = client.get("/platforms/ALFA/")
    assert response.status_code == 302
    assert response["Location"] == "/platforms/alpha/"
    assert client.get("/platforms/nope/").status_code == 404

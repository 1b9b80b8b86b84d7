"""/cost/ and /api/v1/cost/: page, HTMX fragment, CSV, API, bad input, query counts."""

import csv
import io

import pytest

from costs.models import PriceCitation, PricePoint

DONE_WHEN = "/cost/?hosts=4&sockets=2&cores=16&windows_vms=40&linux_vms=0&years=3"


def test_page_shows_totals_chart_items_and_sources(client, price_list):
    response = client.get(DONE_WHEN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "USD 42,760.00" in html  # Hyper-V
    assert "USD 94,600.00" in html  # ESXi: VVF + the same Windows licences
    assert 'data-chart="cost-figure-usd"' in html
    assert 'id="cost-figure-usd"' in html
    assert "https://example.org/vmw-redress-vcf-brief" in html
    assert "at least" in html  # Nutanix is unknown


def test_page_without_parameters_uses_the_defaults(client, price_list):
    response = client.get("/cost/")
    assert response.status_code == 200
    assert 'value="4"' in response.content.decode()


def test_disputed_minimum_is_marked_on_a_small_estate(client, price_list):
    html = client.get("/cost/?hosts=1&sockets=2&cores=16&windows_vms=0").content.decode()
    assert 'class="disputed"' in html
    assert "Disputed by" in html
    assert "not in the total" in html


def test_htmx_request_gets_the_fragment(client, price_list):
    response = client.get(DONE_WHEN, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="result">')
    assert "<html" not in html
    assert "Vary" in response
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "query", ["hosts=0", "hosts=abc", "years=99", "support=gold", "owned=everything", "cores=-1"]
)
def test_bad_input_is_a_400_with_the_form(client, price_list, query):
    response = client.get(f"/cost/?{query}")
    assert response.status_code == 400
    assert "out of range" in response.content.decode()


def test_csv_has_one_row_per_line_item_with_its_source(client, price_list):
    response = client.get(DONE_WHEN + "&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    hyperv = [r for r in rows if r["platform"] == "hyper-v"]
    assert [r["amount"] for r in hyperv] == ["42760.00"]
    assert hyperv[0]["source_url"].startswith("https://example.org/")
    nutanix = [r for r in rows if r["platform"] == "nutanix-ahv"]
    assert nutanix[0]["amount"] == ""  # unknown, not 0


def test_api_returns_the_same_estimate(client, price_list):
    response = client.get("/api/v1/cost/?hosts=4&sockets=2&cores=16&windows_vms=40&years=3")
    assert response.status_code == 200
    body = response.json()
    by_slug = {p["platform"]: p for p in body["platforms"]}
    assert by_slug["hyper-v"]["total"] == {"USD": "42760.00"}
    assert by_slug["vmware-esxi"]["total"] == {"USD": "94600.00"}
    assert by_slug["nutanix-ahv"]["unknown_count"] == 1
    assert all(i["price"]["source_url"] for i in by_slug["vmware-esxi"]["items"])
    assert len(by_slug["vmware-esxi"]["per_year"]) == 3


def test_api_home_lab_is_free_on_open_source_platforms(client, price_list):
    body = client.get("/api/v1/cost/?hosts=1&sockets=1&cores=8&windows_vms=0&linux_vms=3").json()
    by_slug = {p["platform"]: p for p in body["platforms"]}
    for slug in ("proxmox-ve", "xcp-ng", "kvm"):
        assert set(by_slug[slug]["total"].values()) == {"0.00"}, slug
        assert by_slug[slug]["unknown_count"] == 0


def test_api_bad_input_is_a_400_naming_the_field(client, price_list):
    response = client.get("/api/v1/cost/?years=0")
    assert response.status_code == 400
    assert "years" in response.json()["errors"]


def _more_prices(count: int) -> None:
    from comparisons.models import Platform, Source

    kvm = Platform.objects.get(slug="kvm")
    source = Source.objects.first()
    for n in range(count):
        point = PricePoint.objects.create(
            key=f"extra-{n}",
            platform=kvm,
            product=f"Extra {n}",
            role="option",
            amount=1,
            currency="USD",
            unit="per-host-year",
            kind="list",
            status="published",
            confidence="low",
        )
        PriceCitation.objects.create(price=point, source=source)


@pytest.mark.parametrize("extra", [0, 40])
def test_page_query_count_does_not_grow_with_the_price_list(
    client, price_list, django_assert_num_queries, extra
):
    _more_prices(extra)
    client.get("/cost/?hosts=2")  # warm the session and language machinery
    # price points, their citations+sources, platforms (the catalogue version was read by the
    # warm-up: it is checked at most once per second per process)
    with django_assert_num_queries(3):
        client.get("/cost/?hosts=3")


@pytest.mark.parametrize("extra", [0, 40])
def test_api_query_count_does_not_grow_with_the_price_list(
    client, price_list, django_assert_num_queries, extra
):
    _more_prices(extra)
    with django_assert_num_queries(4):  # the catalogue version, then as the page
        client.get("/api/v1/cost/")


def test_an_unchanged_price_list_answers_304(client, price_list):
    first = client.get(DONE_WHEN)
    again = client.get(DONE_WHEN, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_a_price_edit_changes_the_etag(client, price_list):
    first = client.get(DONE_WHEN)["ETag"]
    point = PricePoint.objects.get(key="vmware-vvf")
    point.amount = 140
    point.save()
    response = client.get(DONE_WHEN)
    assert response["ETag"] != first
    assert "USD 96,520.00" in response.content.decode()  # 128 x 140 x 3 + 42,760

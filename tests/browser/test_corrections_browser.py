"""A reader reports an error on a claim page; it lands in the curators' queue and, accepted,
changes the claim with its history."""

import pytest

from comparisons.models import Claim, Correction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def claim(loaded_small_catalog):
    return Claim.objects.get(platform__slug="alpha", feature__slug="max-vcpus-per-vm")


def test_a_reader_reports_an_error_and_a_curator_sees_it(
    page, live_server, claim, admin_user, browser
):
    page.add_init_script(WATCH)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.get_by_role("link", name="Report an error").click()
    page.wait_for_selector("form.correction-form")
    # Bad input: the answer (400) replaces the form in place, with the errors.
    page.fill("#id_note", "The limit is higher since 2.1.")
    page.click("button[type=submit]")
    page.wait_for_selector(".field-errors")
    assert "This field is required." in page.inner_text("#correction")
    assert Correction.objects.count() == 0
    page.fill("#id_source_url", "https://docs.example.org/limits")
    page.fill("#id_proposed_value", "512")
    page.click("button[type=submit]")
    page.wait_for_selector(".notice.ok")
    assert page.url.endswith(f"/claims/{claim.pk}/correction/")  # swapped, not reloaded
    correction = Correction.objects.get()
    assert correction.proposed_value == 512
    assert page.evaluate("window.__violations") == []

    curator = browser.new_context().new_page()
    curator.goto(f"{live_server.url}/admin/login/?next=/admin/comparisons/correction/")
    curator.fill("#id_username", admin_user.username)
    curator.fill("#id_password", "password")
    curator.click("input[type=submit]")
    curator.wait_for_selector("#result_list")
    assert "docs.example.org" in curator.inner_text("#result_list")
    # Accepted and applied, the claim changes, and its history credits the correction.
    curator.check(f"input[name=_selected_action][value='{correction.pk}']")
    curator.select_option("select[name=action]", "accept_and_apply")
    curator.click("button[name=index]")
    curator.wait_for_selector(".messagelist .success")
    curator.goto(f"{live_server.url}/claims/{claim.pk}/")
    article = curator.inner_text("article.claim")
    assert "512" in article
    assert f"(Reader correction #{correction.pk})" in article
    curator.context.close()


def test_the_form_works_without_javascript(nojs_page, live_server, claim):
    nojs_page.goto(f"{live_server.url}/claims/{claim.pk}/correction/")
    nojs_page.fill("#id_source_url", "https://docs.example.org/limits")
    nojs_page.fill("#id_note", "The limit is higher since 2.1.")
    nojs_page.click("button[type=submit]")
    nojs_page.wait_for_selector(".notice.ok")
    assert Correction.objects.count() == 1

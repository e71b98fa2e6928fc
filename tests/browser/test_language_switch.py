"""The header's language switch in a real browser: French on the same page (query
string kept), French on the next pages, back to English; the browser's own language
chooses when nothing was switched."""

import re

import pytest

from tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_switching_to_french_stays_on_the_page_and_holds(live_server, page):
    MembershipFactory(user__username="lea")
    url = live_server.url
    sign_in(page, url, "lea")
    page.goto(f"{url}/tools/?q=outil")
    assert page.get_attribute("html", "lang") == "en"

    page.click(".language-switch button[value=fr]")
    page.wait_for_load_state()
    assert page.url == f"{url}/tools/?q=outil"
    assert page.get_attribute("html", "lang") == "fr"
    assert page.get_attribute(".language-switch .current", "value") == "fr"

    page.goto(f"{url}/evaluations/")
    assert page.get_attribute("html", "lang") == "fr"

    page.click(".language-switch button[value=en]")
    page.wait_for_load_state()
    assert page.url == f"{url}/evaluations/"
    assert page.get_attribute("html", "lang") == "en"


def test_a_french_browser_gets_french_without_switching(live_server, chromium):
    context = chromium.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/surveys/")
        assert page.get_attribute("html", "lang") == "fr"
    finally:
        context.close()


@pytest.mark.usefixtures("published_data")
def test_the_weight_sliders_write_shares_the_french_way(live_server, chromium):
    """The builder's live shares are written by its script in the page's language."""
    MembershipFactory(user__username="noe")
    context = chromium.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "noe")
        page.goto(f"{live_server.url}/evaluations/new/")
        assert page.get_attribute("html", "lang") == "fr"
        share = page.locator("output.share").first.inner_text()
        assert re.fullmatch(r"\d{1,3},\d\s%", share), share
    finally:
        context.close()

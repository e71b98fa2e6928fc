"""English and French: the header's switch keeps the reader on the page and the
choice holds for the next pages; the browser's language is the default; numbers are
written as each language writes them."""

import pytest
from django.utils import translation

from selector import formats
from tests.english import english_left

pytestmark = pytest.mark.django_db


def test_the_browsers_language_chooses_french(client):
    page = client.get("/surveys/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert '<html lang="fr">' in page.content.decode()
    assert '<html lang="en">' in client.get("/surveys/").content.decode()


def test_the_switch_keeps_the_page_and_the_choice(member_client):
    response = member_client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/tools/?q=abc"}
    )
    assert response.status_code == 302
    assert response.url == "/tools/?q=abc"
    assert '<html lang="fr">' in member_client.get("/evaluations/").content.decode()
    member_client.post("/i18n/setlang/", {"language": "en", "next": "/tools/"})
    assert '<html lang="en">' in member_client.get("/evaluations/").content.decode()


def test_the_switch_offers_each_language_in_its_own_name(member_client):
    page = member_client.get("/tools/").content.decode()
    assert 'name="language" value="fr" lang="fr"' in page
    assert ">Français</button>" in page
    assert 'value="/tools/"' in page  # next: the same page


def test_an_unknown_next_stays_on_the_site(member_client):
    response = member_client.post(
        "/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


@pytest.mark.parametrize(
    ("language", "share", "amount", "expected"),
    [
        ("en", 0.3, 22800, ("30%", "$22,800")),
        ("fr", 0.3, 22800, ("30\u202f%", "22\u00a0800\u00a0$")),
        ("fr", 0.125, 1234.5, ("12\u202f%", "1\u00a0234\u00a0$")),  # half to even
        ("en", -0.001, 0, ("0%", "$0")),
        ("en", 0.5263, 19.6, ("53%", "$20")),  # rounded, not cut
    ],
)
def test_percentages_and_dollars_as_each_language_writes_them(
    language, share, amount, expected
):
    with translation.override(language):
        assert (formats.percent(share), formats.usd(amount)) == expected


def test_a_decimal_uses_the_french_comma():
    with translation.override("fr"):
        assert formats.number(1234.5, 1) == "1\u00a0234,5"
    with translation.override("en"):
        assert formats.number(1234.5, 1) == "1,234.5"
        assert formats.number(1.754, 1) == "1.8"


def test_the_english_detector_finds_english_and_ignores_other_languages():
    html = (
        '<html lang="fr"><p title="Run the tool">Bonjour</p><script>var the;</script>'
        '<button lang="en">English</button><div>Les poids <b>weights</b></div></html>'
    )
    found = " ".join(english_left(html))
    for word in ("'Run'", "'the'", "'tool'", "'weights'"):
        assert word in found
    assert "English" not in found and "var" not in found
    assert english_left('<p lang="en">the tools</p><p>Les outils</p>') == []

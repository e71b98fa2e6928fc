"""The weight profile admin's own pages in French (issue 14): the change log, a
version to revert to, deriving from a survey and the object tools; Django's admin
translates its own frame."""

import re

import pytest
from django.urls import reverse

from selector.services.catalogue.builtin_catalogue import load_builtins
from tests.admin.profile_forms import APP_WEIGHTS, PROFILE_PERMS, change_url, form_data
from tests.english import english_left, readable_text
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ALLOW = ["Menlo", "Ventures", "AHP", "LLM", "Shortlist"]


def content(html: str) -> str:
    """The page's own part (#content-main), without identifiers: <code>, keys and
    figure paths (app_selection_criteria, menlo-2024/app_selection_criteria/roi)."""
    part = html[html.index('id="content-main"') :]
    part = re.sub(r"<code>.*?</code>", " ", part, flags=re.DOTALL)
    return re.sub(r"[\w./-]*_[\w./-]*", " ", part)


@pytest.fixture
def editor_client(client):
    load_builtins()
    client.force_login(make_user("rédactrice", perms=PROFILE_PERMS))
    return client


def french(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_change_log_reads_in_french(editor_client, app_selection):
    editor_client.post(
        change_url(app_selection), form_data(app_selection, {**APP_WEIGHTS, "roi": 45})
    )
    html = french(
        editor_client,
        reverse("admin:selector_weightprofile_history", args=[app_selection.pk]),
    )

    assert english_left(content(html), allow=ALLOW) == []
    text = readable_text(html)
    assert "Poids de « Retour sur investissement mesurable » : 30 → 45" in text
    assert "chargé : État avant le début du journal des modifications" in text


def test_deriving_from_a_survey_reads_in_french(editor_client):
    html = french(editor_client, reverse("admin:selector_weightprofile_derive_survey"))

    assert english_left(content(html), allow=ALLOW) == []
    assert "Catégories de parts qui correspondent à des critères" in html


def test_a_version_to_revert_to_reads_in_french(editor_client, app_selection):
    editor_client.post(
        change_url(app_selection), form_data(app_selection, {**APP_WEIGHTS, "roi": 45})
    )
    baseline = app_selection.history.order_by("history_date").first()
    html = french(
        editor_client,
        reverse(
            "admin:selector_weightprofile_simple_history",
            args=[app_selection.pk, baseline.history_id],
        ),
    )
    # the version's own fields are its recorded (English) texts: not checked
    page = re.sub(r"<table>.*?</table>", " ", content(html), count=1, flags=re.DOTALL)

    assert english_left(page, allow=ALLOW) == []
    assert "Revenir à cette version" in html
    assert f"Version n°\u00a0{baseline.history_id}, enregistrée le" in html


def test_the_change_form_offers_its_tools_in_french(editor_client, app_selection):
    html = french(editor_client, change_url(app_selection))

    for words in (
        "Page du profil",
        "Comparer avec…",
        "Dupliquer",
        "Recalculer par AHP",
    ):
        assert words in html
    assert "Version française montrée aux lecteurs francophones" in html  # the twins
    assert "Normalisé" in html and "52,6\u202f%" in html

"""The catalogue's pages in French (issue 14): weight profiles, their comparison, the
AHP page and the survey pages show no English beyond product and method names, with
the built-in criteria and profiles under their French names."""

import re
from html import unescape

import pytest

from selector.services.catalogue.builtin_catalogue import load_builtins
from survey.models import Survey
from tests.english import english_left, readable_text
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db

# Names French keeps: products, publishers, methods, the survey data's own names.
ALLOW = ["Shortlist", "Menlo", "Ventures", "AHP", "LLM", "API", "Saaty"]


# Not prose, or not this area's: identifiers in <code> (criterion keys, figure keys,
# commands), web addresses, the guidance sentences of presenters/explanations.py
# (translated with the method explanations), and two terms French writes as they
# are ("décideurs IT", "modèles open source", in the shipped survey files).
NOT_CHECKED = re.compile(
    r"<code[^>]*>.*?</code>"
    r"|https?://[^\s<\"]+"
    r'|<p class="(?:hint )?profile-guidance"[^>]*>.*?</p>'
    r'|<p class="hint" id="weight-shares-explanation">.*?</p>'
    r"|\bIT\b|\bopen source\b",
    re.DOTALL,
)


def main(html: str) -> str:
    """The page's own content (the header and footer belong to base.html), without
    what ``NOT_CHECKED`` leaves out."""
    found = re.search(r"<main[^>]*>(.*)</main>", html, re.DOTALL)
    return NOT_CHECKED.sub(" ", found.group(1))


def shown(html: str) -> str:
    """The page's text with its entities decoded and its no-break spaces kept."""
    return unescape(re.sub(r"<[^>]+>", " ", html))


def french(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="fr">' in html
    return html


@pytest.fixture(autouse=True)
def builtins(db):
    """The built-ins with their twins (the data migration predates the twins)."""
    load_builtins()


@pytest.fixture
def evaluation(member):
    _, workspace = member
    # scored on every criterion of the built-in profiles, each telling the tools
    # apart, so every profile ranks them
    tools = [
        scored_tool(
            workspace,
            "Outil A",
            roi=4,
            industry_customization=3,
            price=30,
            security_safety=4,
            performance=3,
            expanded_capabilities=4,
            implementation_costs=2,
            data_privacy_risk=3,
            hallucination_risk=2,
        ),
        scored_tool(
            workspace,
            "Outil B",
            roi=3,
            industry_customization=5,
            price=20,
            security_safety=3,
            performance=5,
            expanded_capabilities=2,
            implementation_costs=4,
            data_privacy_risk=1,
            hallucination_risk=3,
        ),
    ]
    return EvaluationFactory(workspace=workspace, tools=tools, name="Éval")


PROFILE_PAGES = [
    "/profiles/",
    "/profiles/menlo-2024-app-selection/",
    "/profiles/menlo-2024-llm-switching/",
    "/profiles/menlo-2024-pilot-risks/",
    "/profiles/compare/?a=menlo-2024-app-selection&b=menlo-2024-pilot-risks",
]


@pytest.mark.parametrize("url", PROFILE_PAGES)
def test_a_profile_page_reads_in_french(member_client, evaluation, url):
    html = french(member_client, url)

    assert english_left(main(html), allow=ALLOW) == []


def test_the_profile_list_names_the_builtins_in_french(member_client):
    text = shown(french(member_client, "/profiles/"))

    assert "Profils de pondération" in text
    assert "Menlo 2024\u00a0: pourquoi les entreprises changent de LLM" in text
    assert Survey.objects.get(slug="menlo-2024").title_fr in text  # its survey


def test_a_profile_shows_its_criteria_and_shares_in_french(member_client):
    text = shown(french(member_client, "/profiles/menlo-2024-app-selection/"))

    # 30, 26 and 1 of 57: 52.6%, 45.6%, 1.8%, written the French way
    for share in ("52,6\u202f%", "45,6\u202f%", "1,8\u202f%"):
        assert share in text
    for name in (
        "Retour sur investissement mesurable",
        "Personnalisation sectorielle",
        "Prix",
    ):
        assert name in text
    assert "Plus c'est bas, mieux c'est" in text  # price is a cost


def test_the_comparison_ranks_an_evaluation_in_french(member_client, evaluation):
    url = (
        "/profiles/compare/?a=menlo-2024-app-selection&b=menlo-2024-pilot-risks"
        f"&evaluation={evaluation.pk}"
    )
    html = french(member_client, url)

    assert english_left(main(html), allow=ALLOW) == []
    assert "Le classement de «\u00a0Éval\u00a0» sous chacun" in shown(html)


def test_the_ahp_page_reads_in_french(client, ahp_editor):
    client.force_login(ahp_editor)
    html = french(client, "/profiles/ahp/?profile=menlo-2024-app-selection")

    assert english_left(main(html), allow=ALLOW) == []
    text = shown(html)
    assert "Établir les poids par AHP" in text
    assert (
        "Retour sur investissement mesurable face à Personnalisation sectorielle"
        in text
    )


def test_the_ahp_preview_gives_the_ratio_the_french_way(client, ahp_editor):
    client.force_login(ahp_editor)
    page = client.post(
        "/profiles/ahp/preview/",
        {
            "criteria": ["roi", "price"],
            "pair__roi__price": "3",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    ).content.decode()

    assert english_left(page, allow=ALLOW) == []
    # two criteria, 3 to 1: weights 75% and 25%, always consistent (CR 0)
    text = " ".join(shown(page).split(" "))
    assert "75,0\u202f%" in text and "25,0\u202f%" in text
    assert "Ratio de cohérence\u00a0:" in text
    assert "0,000" in text and "(au plus 0,10\u00a0: assez cohérent)" in text


SURVEY_SLUGS = [
    "menlo-2024",
    "menlo-2025",
    "menlo-2025-midyear",
    "a16z-2024",
    "a16z-2025",
]


def test_the_survey_list_reads_in_french(client):
    html = french(client, "/surveys/")

    assert english_left(main(html), allow=ALLOW) == []
    assert "Repères d'enquêtes" in shown(html)


@pytest.mark.parametrize("slug", SURVEY_SLUGS)
def test_a_survey_page_reads_in_french(client, slug):
    html = french(client, f"/surveys/{slug}/")

    # "un second résumé": second is French too
    assert english_left(main(html), allow=[*ALLOW, "second"]) == []


def test_a_survey_page_shows_its_french_twins(client):
    survey = Survey.objects.get(slug="menlo-2024")
    html = french(client, "/surveys/menlo-2024/")
    text = readable_text(html)  # the twins' own spaces, as readable_text writes them

    assert survey.title_fr in text and survey.note_fr in text
    assert "Critères de choix des applications" in text  # a category heading
    assert "Raisons de changer de LLM" in text
    for meaning in survey.evidence_levels_fr.values():
        assert meaning in text
    figure = survey.benchmarks.get(category="app_selection_criteria", key="roi")
    assert figure.label_fr in text and figure.evidence_fr in text

"""The interface speaks US English, as the survey data and the API's field names do
(issue 13 item 5): no British spelling in the templates, in the strings the code
shows people, or on the rendered pages."""

import ast
import re
from pathlib import Path

import pytest

from selector.models import Run
from selector.services.catalogue.builtin_catalogue import PREVIOUS_TEXTS
from tests.factories import EvaluationFactory

ROOT = Path(__file__).resolve().parents[2]
BRITISH = re.compile(
    r"\b(normalis\w*|customis\w*|colour\w*|organis\w*|prioritis\w*|"
    r"analys(?:e|ed|es|ing)|behaviour\w*|favour\w*|licence\w*|minimis\w*|"
    r"maximis\w*|optimis\w*|summaris\w*|recognis\w*|standardis\w*|categoris\w*|"
    r"centred|centre|judgement\w*|catalogue\w*|honour\w*|programme\w*)\b",
    re.IGNORECASE,
)
# Strings that are not words people read: a JSON key stored in profiles' AHP
# records and the old built-in texts the loader looks for to respell them.
NOT_SHOWN = {
    "judgements",
    *(previous[-1] for previous in PREVIOUS_TEXTS),
}
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)


def _shown_strings(path: Path):
    """Every string constant of a module but its docstrings, with its line."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        )
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and node.value not in NOT_SHOWN
        ):
            yield node.lineno, node.value


def test_no_template_spells_the_british_way():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in BRITISH.finditer(TEMPLATE_TAG.sub(" ", path.read_text()))
    ]

    assert found == []


def test_no_string_the_code_shows_spells_the_british_way():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {match.group(0)}"
        for app in ("selector", "survey", "config")
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line, text in _shown_strings(path)
        for match in BRITISH.finditer(text)
    ]

    assert found == []


def test_the_scan_finds_a_british_word():
    assert BRITISH.findall("Min-max normalisation, a colour, judgements") == [
        "normalisation",
        "colour",
        "judgements",
    ]
    assert not BRITISH.search("normalization utilisant analysis")


@pytest.mark.django_db
def test_the_pages_people_read_spell_the_us_way(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=member[1], tools=three_tools, normalization="minmax"
    )
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.get(evaluation=evaluation)
    pages = [
        "/",
        "/tools/",
        "/tools/scores/?profile=menlo-2024-app-selection",
        "/evaluations/",
        "/evaluations/new/",
        evaluation.get_absolute_url(),
        f"/runs/{run.pk}/",
        "/profiles/",
        "/profiles/menlo-2024-app-selection/",
        "/profiles/menlo-2024-pilot-risks/",
        "/surveys/",
        "/surveys/menlo-2024/",
    ]
    found = {}
    for url in pages:
        response = member_client.get(url)
        assert response.status_code == 200, url
        words = BRITISH.findall(response.content.decode())
        if words:
            found[url] = sorted(set(words))

    assert found == {}


@pytest.mark.django_db
def test_the_ahp_page_spells_the_us_way(client, ahp_editor):
    client.force_login(ahp_editor)

    page = client.get("/profiles/ahp/?profile=menlo-2024-app-selection")

    assert page.status_code == 200
    assert BRITISH.findall(page.content.decode()) == []
    assert "judgments contradict each other" in page.content.decode()

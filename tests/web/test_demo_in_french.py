"""The demo workspace (seed_demo) read in French: its shipped names (the workspace's,
the evaluation's) and its tools' shipped facts are shown in French wherever they are
read, no English is left beyond the product and method names, the English pages keep
the English names, and a demo someone renamed shows the name they typed in both
languages."""

import pytest
from django.utils import translation

from selector.models import Run
from selector.services.catalogue.builtin_catalogue import load_builtins
from selector.services.demo import TOOLS, seed_demo
from selector.shipped_texts import shipped
from tests.english import english_left
from tests.factories import MembershipFactory
from tests.web.test_report_pdf import pdf_text

pytestmark = pytest.mark.django_db

FR_WORKSPACE = "Démo\u00a0: choisir un assistant IA d'entreprise"
FR_EVALUATION = "Assistant IA pour toute l'entreprise"
EN_WORKSPACE = "Demo: choosing an enterprise AI assistant"
EN_EVALUATION = "Company-wide AI assistant"
# Names French keeps: the product, the methods and their authors, file formats.
ALLOWED = """
    Shortlist TOPSIS VIKOR PROMETHEE AHP SMAA Monte Carlo Saaty Dirichlet Menlo
    Ventures API CSV PDF Markdown JSON
""".split()
# The demo's product names (typed as their makers spell them) and loanwords.
PHRASES = [name for name, *_ in TOOLS] + ["open source"]


@pytest.fixture
def demo(client, django_capture_on_commit_callbacks):
    """The demo, its done run, and its user signed in. The user is also in a second
    workspace, so the header's workspace switch shows the demo's name."""
    load_builtins()  # the French twins of the built-in criteria and profiles
    with django_capture_on_commit_callbacks(execute=True):
        user, workspace, created = seed_demo()
    assert created
    MembershipFactory(user=user, workspace__name="Espace perso")
    client.force_login(user)
    session = client.session
    session["workspace_id"] = workspace.pk
    session.save()
    run = Run.objects.get(evaluation__workspace=workspace)
    assert run.status == Run.Status.DONE
    return client, workspace, run


def pages(run: Run) -> list[str]:
    evaluation = run.evaluation_id
    return [
        "/",
        "/tools/",
        "/evaluations/",
        f"/evaluations/{evaluation}/",
        f"/runs/{run.pk}/",
        f"/evaluations/{evaluation}/compare/",
        f"/evaluations/{evaluation}/delete/",
        f"/runs/{run.pk}/report/",
    ]


def read(client, path: str, language: str) -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_demo_reads_in_french(demo):
    client, _, run = demo
    left = []
    for path in pages(run):
        html = read(client, path, "fr")
        assert '<html lang="fr">' in html, path
        assert EN_WORKSPACE not in html and EN_EVALUATION not in html, path
        left += [
            f"{path}: {found}"
            for found in english_left(html, allow=ALLOWED, phrases=PHRASES)
        ]
    assert left == [], "\n".join(left)


def test_the_demo_names_are_french_where_they_are_shown(demo):
    client, workspace, run = demo
    evaluation = run.evaluation_id
    home = read(client, "/", "fr")
    assert f"<h1>{FR_WORKSPACE}</h1>".replace("'", "&#x27;") in home
    assert f">{FR_WORKSPACE}</option>".replace("'", "&#x27;") in home
    assert f">{FR_EVALUATION}</a>".replace("'", "&#x27;") in home
    for path in ["/tools/", "/evaluations/"]:
        assert FR_WORKSPACE.replace("'", "&#x27;") in read(client, path, "fr")
    result = read(client, f"/evaluations/{evaluation}/", "fr")
    assert f"<h1>{FR_EVALUATION}</h1>".replace("'", "&#x27;") in result
    report = read(client, f"/runs/{run.pk}/report/", "fr")
    assert f"<h1>{FR_EVALUATION}</h1>".replace("'", "&#x27;") in report
    compare = read(client, f"/evaluations/{evaluation}/compare/", "fr")
    assert "<td>Plusieurs</td>" in compare  # the search tools' model provider
    assert "<td>Meta</td>" in compare  # the open model's vendor, openness apart
    markdown = read(client, f"/runs/{run.pk}/report.md", "fr")
    assert markdown.startswith(f"# {FR_EVALUATION}\n")
    assert markdown.rstrip().endswith(f"· {FR_WORKSPACE}")


def test_the_demo_reads_in_english(demo):
    client, _, run = demo
    evaluation = run.evaluation_id
    home = read(client, "/", "en")
    assert f"<h1>{EN_WORKSPACE}</h1>" in home
    assert f">{EN_EVALUATION}</a>" in home
    result = read(client, f"/evaluations/{evaluation}/", "en")
    assert f"<h1>{EN_EVALUATION}</h1>" in result
    assert "<td>Several</td>" in read(
        client, f"/evaluations/{evaluation}/compare/", "en"
    )
    markdown = read(client, f"/runs/{run.pk}/report.md", "en")
    assert markdown.startswith(f"# {EN_EVALUATION}\n")
    assert "Démo" not in home + result + markdown


def test_a_renamed_demo_shows_the_typed_names_in_both_languages(demo):
    client, workspace, run = demo
    workspace.name = "Demo: our assistant pick"
    workspace.save()
    run.evaluation.name = "Company-wide AI assistant 2027"
    run.evaluation.save()
    for language in ["fr", "en"]:
        home = read(client, "/", language)
        assert "<h1>Demo: our assistant pick</h1>" in home
        assert ">Company-wide AI assistant 2027</a>" in home
        assert "Démo" not in home and "Assistant IA" not in home
        report = read(client, f"/runs/{run.pk}/report/", language)
        assert "<h1>Company-wide AI assistant 2027</h1>" in report


def test_shipped_translates_only_the_exact_shipped_texts():
    with translation.override("fr"):
        assert shipped(EN_EVALUATION) == FR_EVALUATION
        assert shipped(EN_EVALUATION + " ") == EN_EVALUATION + " "
        assert shipped("company-wide AI assistant") == "company-wide AI assistant"
        assert shipped(None) is None
    with translation.override("en"):
        assert shipped(EN_EVALUATION) == EN_EVALUATION


def test_every_demo_tool_notes_are_the_shipped_note(demo):
    _, workspace, _ = demo
    notes = {tool.notes for tool in workspace.tools.all()}
    assert notes == {"Illustrative demo scores, not an assessment of the product."}
    with translation.override("fr"):
        assert shipped(notes.pop()).startswith("Scores de démonstration")


@pytest.mark.pdftotext
def test_the_demo_pdf_report_in_french(demo, tmp_path):
    client, _, run = demo
    pdf = client.get(f"/runs/{run.pk}/report.pdf", HTTP_ACCEPT_LANGUAGE="fr")
    text = " ".join(pdf_text(pdf.content, tmp_path).split())
    assert FR_EVALUATION in text
    assert EN_EVALUATION not in text

"""The report's PDF, made on the server by WeasyPrint from the report page: its text,
read back with poppler's pdftotext, names the winner, the ranking and the run."""

import shutil
import subprocess

import pytest

from selector import engine
from selector.models import Run
from tests.factories import EvaluationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.pdftotext]

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    )
    return result.stdout


def test_the_pdf_names_the_winner_and_the_run(
    member_client, three_tools, django_capture_on_commit_callbacks, tmp_path
):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools, name="Copilot choice"
    )
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.get(status=Run.Status.DONE)
    response = member_client.get(f"/runs/{run.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content, tmp_path)
    assert "Copilot choice" in text
    assert "C ranks first under Weighted sum." in text
    assert f"Run #{run.pk} · engine version {engine.ENGINE_VERSION}" in text
    # The ranking table's rows in rank order (the three_tools fixture: C, B, A)
    ranked = [
        line.split()[1]
        for line in text.splitlines()
        if line.split()[:1] in (["1"], ["2"], ["3"]) and len(line.split()) > 4
    ]
    assert ranked[:3] == ["C", "B", "A"]
    # The chart is vector text, not an image: its legend is in the text
    assert "Rank 1" in text


def test_a_renamed_evaluation_gets_a_new_pdf_not_the_cached_one(
    member_client, three_tools, django_capture_on_commit_callbacks, tmp_path
):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools, name="First name"
    )
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.get(status=Run.Status.DONE)
    first = member_client.get(f"/runs/{run.pk}/report.pdf").content
    assert member_client.get(f"/runs/{run.pk}/report.pdf").content == first
    evaluation.name = "Second name"
    evaluation.save()
    text = pdf_text(member_client.get(f"/runs/{run.pk}/report.pdf").content, tmp_path)
    assert "Second name" in text and "First name" not in text

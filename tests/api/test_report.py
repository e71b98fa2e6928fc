"""GET /api/v1/runs/{id}/report.pdf and report.md: a token's caller gets the report of
their done run as PDF or Markdown; anyone else a 401 or 404, a run not done a 409, all
errors as JSON."""

import pytest

from selector import engine
from selector.models import Run
from selector.services.runs import start_run
from tests.factories import (
    EvaluationFactory,
    MembershipFactory,
    api_client,
    scored_tool,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(workspace, owner, django_capture_on_commit_callbacks):
    """A done run of three tools ranking C, B, A (the weighted sum of conftest's
    three_tools scores)."""
    tools = [
        scored_tool(workspace, "A", roi=4, industry_customization=3, price=30),
        scored_tool(workspace, "B", roi=3, industry_customization=5, price=20),
        scored_tool(workspace, "C", roi=5, industry_customization=2, price=60),
    ]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools, name="Chat pick")
    with django_capture_on_commit_callbacks(execute=True):
        run = start_run(user=owner, evaluation=evaluation)
    run.refresh_from_db()
    assert run.status == Run.Status.DONE
    return run


def test_the_markdown_report_comes_with_a_token(api, run):
    response = api.get(f"/api/v1/runs/{run.pk}/report.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert f'filename="shortlist-run-{run.pk}.md"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# Chat pick\n")
    assert "C ranks first under Weighted sum." in text
    assert f"Run #{run.pk} · engine version {engine.ENGINE_VERSION}" in text


def test_the_pdf_report_comes_with_a_token(api, run):
    response = api.get(f"/api/v1/runs/{run.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("suffix", ["pdf", "md"])
def test_without_a_token_it_is_a_401(run, suffix):
    response = api_client().get(f"/api/v1/runs/{run.pk}/report.{suffix}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("suffix", ["pdf", "md"])
def test_another_workspaces_run_is_a_json_404(run, suffix):
    stranger = api_client(MembershipFactory().user)
    response = stranger.get(
        f"/api/v1/runs/{run.pk}/report.{suffix}", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "No run with this id in your workspaces."


@pytest.mark.parametrize("suffix", ["pdf", "md"])
def test_a_run_not_done_is_a_json_409_saying_so(api, run, suffix):
    queued = Run.objects.create(evaluation=run.evaluation, inputs=run.inputs)
    response = api.get(f"/api/v1/runs/{queued.pk}/report.{suffix}")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"
    message = f"Run #{queued.pk} is queued: its report is ready once the run is done."
    assert response.json() == {
        "detail": message,
        "errors": [{"field": None, "message": message}],
    }


def test_the_schema_documents_both_media_types(api):
    schema = api.get("/api/schema/?format=json").json()
    pdf = schema["paths"]["/api/v1/runs/{id}/report.pdf"]["get"]["responses"]
    markdown = schema["paths"]["/api/v1/runs/{id}/report.md"]["get"]["responses"]
    assert list(pdf["200"]["content"]) == ["application/pdf"]
    assert list(markdown["200"]["content"]) == ["text/markdown"]
    for responses in (pdf, markdown):
        assert list(responses["404"]["content"]) == ["application/json"]
        assert list(responses["409"]["content"]) == ["application/json"]

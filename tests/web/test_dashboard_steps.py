"""The dashboard's three steps each get their check mark once done; step 3 (run it and
read the ranking) once the workspace has a finished run."""

import re

import pytest

from selector.models import Run
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def step_classes(page: str) -> list[str]:
    steps = page[page.index('<ol class="steps">') : page.index("</ol>")]
    return re.findall(r'<li class="([^"]*)">', steps)


def test_step_three_is_done_once_a_run_finished(member_client, member, three_tools):
    evaluation = EvaluationFactory(workspace=member[1], tools=three_tools)
    Run.objects.create(evaluation=evaluation, inputs={}, status=Run.Status.FAILED)
    page = member_client.get("/").content.decode()
    assert step_classes(page) == ["done", "done", ""]
    Run.objects.create(evaluation=evaluation, inputs={}, status=Run.Status.DONE)
    page = member_client.get("/").content.decode()
    assert step_classes(page) == ["done", "done", "done"]


def test_another_workspaces_run_does_not_count(member_client, member):
    other = EvaluationFactory()
    Run.objects.create(evaluation=other, inputs={}, status=Run.Status.DONE)
    page = member_client.get("/").content.decode()
    assert step_classes(page) == ["", "", ""]

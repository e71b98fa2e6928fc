"""A Monte Carlo study's page says how its weights were drawn, as the run's own
result page does (issue 13 items 3 and 10): around the survey's shares with their
sampling error, or uniformly once the weights were adjusted."""

import pytest

from selector.services.batches import start_batch
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def _study_page(client, user, evaluation, capture) -> tuple:
    with capture(execute=True):
        batch = start_batch(
            user=user, evaluation=evaluation, kind="smaa", samples=400, chunk_size=200
        )
    batch.refresh_from_db()
    page = client.get(f"/batches/{batch.pk}/").content.decode()
    return batch, " ".join(
        page.split('id="smaa-explanation">')[1].split("</p>")[0].split()
    )


def test_a_study_of_survey_weights_draws_around_them(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(workspace=member[1], tools=three_tools)

    batch, sentence = _study_page(
        member_client, member[0], evaluation, django_capture_on_commit_callbacks
    )

    assert batch.result["concentration"] == 599 and batch.result["samples"] == 400
    assert "under 400 weight vectors" in sentence
    assert "Dirichlet distribution centered on these weights" in sentence
    assert "(600 respondents)" in sentence and "uniformly" not in sentence


def test_a_study_of_adjusted_weights_draws_uniformly(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=member[1], tools=three_tools, weight_overrides={"roi": 50}
    )

    batch, sentence = _study_page(
        member_client, member[0], evaluation, django_capture_on_commit_callbacks
    )

    assert batch.result["concentration"] is None
    assert "spread uniformly over all weight vectors" in sentence
    assert "centered" not in sentence

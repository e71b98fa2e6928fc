"""Pages that start runs refuse work beyond the limits with a message that names the
field or setting and the numbers; nothing is saved."""

import pytest

from selector.models import Batch, Run
from tests.factories import scored_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(client):
    evaluation = scored_evaluation(tools=5)
    client.force_login(evaluation.created_by)
    return evaluation


def shown(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_a_page_study_beyond_the_tools_times_samples_limit_is_explained(
    client, evaluation, settings
):
    settings.SMAA_MAX_TOOL_SAMPLES = 50_000  # the page asks for 20,000 samples
    response = client.post(
        f"/evaluations/{evaluation.pk}/batch/", {"kind": "smaa"}, follow=True
    )
    assert response.redirect_chain[-1][0] == evaluation.get_absolute_url()
    message = shown(response)
    assert "20,000 samples on 5 tools make 100,000 tool-samples" in message
    assert "SMAA_MAX_TOOL_SAMPLES" in message and "at most 10,000 samples" in message
    assert not Batch.objects.exists() and not Run.objects.exists()


def test_without_a_broker_a_study_beyond_one_requests_work_says_to_add_workers(
    client, evaluation, settings
):
    settings.EAGER_MAX_WORK = 100_000
    response = client.post(
        f"/evaluations/{evaluation.pk}/batch/", {"kind": "smaa"}, follow=True
    )
    message = shown(response)
    assert "100,000 (EAGER_MAX_WORK)" in message and "CELERY_BROKER_URL" in message
    assert not Batch.objects.exists() and not Run.objects.exists()


def test_without_a_broker_a_run_beyond_one_requests_work_says_to_add_workers(
    client, evaluation, settings
):
    settings.EAGER_MAX_WORK = 1000
    response = client.post(f"/evaluations/{evaluation.pk}/run/", follow=True)
    assert "CELERY_BROKER_URL" in shown(response)
    assert not Run.objects.exists()

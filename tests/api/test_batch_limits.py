"""The API refuses a Monte Carlo batch beyond the limits with a 400 naming the field
and the limit, and, without a broker, work beyond what one request may do."""

import pytest

from selector.models import Batch, Run
from tests.factories import api_client, scored_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return scored_evaluation(tools=5)


def post_batch(evaluation, **body):
    return api_client(evaluation.created_by).post(
        "/api/v1/batches/", {"evaluation": evaluation.pk, "kind": "smaa", **body}
    )


def errors(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_samples_beyond_the_limit_are_a_400_naming_the_field_and_the_limit(
    evaluation, settings
):
    response = post_batch(evaluation, samples=2_000_001)
    assert response.status_code == 400
    assert "2,000,000 (SMAA_MAX_SAMPLES)" in errors(response)["samples"]
    assert not Batch.objects.exists() and not Run.objects.exists()


def test_tools_times_samples_beyond_the_limit_are_a_400(evaluation, settings):
    settings.SMAA_MAX_TOOL_SAMPLES = 50_000
    response = post_batch(evaluation, samples=10_001, chunk_size=5000)
    assert response.status_code == 400
    message = errors(response)["samples"]
    assert "10,001 samples on 5 tools make 50,005 tool-samples" in message
    assert "50,000 (SMAA_MAX_TOOL_SAMPLES)" in message
    assert not Batch.objects.exists() and not Run.objects.exists()


def test_without_a_broker_a_batch_beyond_one_requests_work_is_a_400(
    evaluation, settings
):
    settings.EAGER_MAX_WORK = 100_000
    response = post_batch(evaluation, samples=20_000)
    assert response.status_code == 400
    message = response.json()["detail"]
    assert "100,000 (EAGER_MAX_WORK)" in message and "CELERY_BROKER_URL" in message
    assert not Batch.objects.exists() and not Run.objects.exists()


def test_without_a_broker_a_run_beyond_one_requests_work_is_a_400(evaluation, settings):
    settings.EAGER_MAX_WORK = 1000
    response = api_client(evaluation.created_by).post(
        f"/api/v1/evaluations/{evaluation.pk}/runs/"
    )
    assert response.status_code == 400
    assert "EAGER_MAX_WORK" in response.json()["detail"]
    assert not Run.objects.exists()

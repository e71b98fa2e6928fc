"""The result page opens with the verdict and says what it would take another tool
to rank first; runs stored before either still render."""

import pytest

from selector.models import Run
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(member_client, three_tools, django_capture_on_commit_callbacks):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    return Run.objects.get()


def test_the_verdict_comes_before_the_ranking(member_client, run):
    page = member_client.get(f"/runs/{run.pk}/").content.decode()
    assert 'id="verdict"' in page
    assert page.index('id="verdict"') < page.index('id="ranking"')
    verdict = member_client.get(f"/runs/{run.pk}/").context["verdict"]
    assert verdict["sentence"].startswith("C ")
    assert verdict["sentence"] in page


def test_what_it_would_take_is_said_in_words(member_client, run):
    page = member_client.get(f"/runs/{run.pk}/").content.decode()
    assert 'id="what-it-takes"' in page
    # B ties C with ROI 4.1 (tests/services/test_what_it_takes.py, by hand)
    assert "B would tie for first with Measurable ROI 4.1 instead of 3." in page
    assert "C would lose first place to A with Measurable ROI 4.4 instead of 5." in page


def test_a_run_stored_before_the_verdict_still_renders(member_client, run):
    stored = run.robustness
    del stored["what_it_takes"]
    for row in stored["stability"]:
        del row["takes_over"]
    Run.objects.filter(pk=run.pk).update(robustness=stored)
    response = member_client.get(f"/runs/{run.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="what-it-takes"' not in page
    assert 'id="verdict"' in page


def test_a_run_without_robustness_has_no_verdict(member_client, run):
    Run.objects.filter(pk=run.pk).update(robustness=None)
    response = member_client.get(f"/runs/{run.pk}/")
    assert response.status_code == 200
    assert 'id="verdict"' not in response.content.decode()

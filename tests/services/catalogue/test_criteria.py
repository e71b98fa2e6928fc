"""Criterion services: a criterion is validated where it is saved (scale, key, the
scores it already has), and one in use is not deleted."""

import pytest
from django.core.exceptions import ValidationError

from selector.models import Criterion
from selector.services.catalogue.criteria import delete_criterion, save_criterion
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db


def test_it_rejects_a_criterion_whose_scale_is_upside_down(editor):
    criterion = Criterion(
        key="speed", name="Speed", kind="rating", scale_min=5, scale_max=1
    )
    with pytest.raises(ValidationError) as error:
        save_criterion(user=editor, criterion=criterion)
    assert "The scale's maximum (1) must be above its minimum (5)." in str(error.value)
    assert not Criterion.objects.filter(key="speed").exists()


def test_it_rejects_a_criterion_with_an_equal_min_and_max(editor):
    criterion = Criterion(
        key="speed", name="Speed", kind="rating", scale_min=3, scale_max=3
    )
    with pytest.raises(ValidationError, match="must be above its minimum"):
        save_criterion(user=editor, criterion=criterion)


@pytest.mark.parametrize("key", ["Speed", "speed!", "sp eed", "ROI"])
def test_it_rejects_criterion_keys_that_are_not_unique_lower_case_slugs(editor, key):
    criterion = Criterion(
        key=key, name="Speed", kind="rating", scale_min=1, scale_max=5
    )
    with pytest.raises(ValidationError) as error:
        save_criterion(user=editor, criterion=criterion)
    assert "key" in error.value.message_dict
    assert not Criterion.objects.filter(name="Speed").exists()


def test_it_refuses_a_scale_that_existing_scores_fall_outside(editor, member):
    _, workspace = member
    scored_tool(workspace, "Tool A", roi=5)
    roi = Criterion.objects.get(key="roi")
    roi.scale_max = 4
    with pytest.raises(ValidationError) as error:
        save_criterion(user=editor, criterion=roi)
    assert "1 existing score(s) fall outside this scale: Tool A (5)" in str(error.value)
    assert Criterion.objects.get(key="roi").scale_max == 5


def test_deleting_a_criterion_in_use_names_the_evaluations_that_use_it(editor, member):
    _, workspace = member
    EvaluationFactory(workspace=workspace, name="Pick a copilot")
    roi = Criterion.objects.get(key="roi")
    with pytest.raises(ValidationError) as error:
        delete_criterion(user=editor, criterion=roi)
    message = str(error.value)
    assert "is in use and was not deleted" in message
    assert f"Evaluation “Pick a copilot” (workspace “{workspace.name}”" in message
    assert "Weight profile “Menlo 2024: how buyers select AI applications”" in message
    assert Criterion.objects.filter(key="roi").exists()


def test_an_unused_criterion_is_deleted_and_the_deletion_recorded(editor):
    criterion = save_criterion(
        user=editor,
        criterion=Criterion(key="speed", name="Speed", scale_min=1, scale_max=5),
    ).criterion
    delete_criterion(user=editor, criterion=criterion)
    assert not Criterion.objects.filter(key="speed").exists()
    deleted = Criterion.history.filter(key="speed", history_type="-").get()
    assert deleted.history_user == editor

"""Profile services: weights and slugs are validated where they are saved, saving and
deleting need the model permissions, and a followed or built-in profile is not
deleted."""

import math

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from selector.models import Weight, WeightProfile
from selector.services.catalogue.profiles import delete_profile, save_profile
from tests.factories import EvaluationFactory, weights_of

pytestmark = pytest.mark.django_db

# Each rule refuses a bad value with a clear message and saves nothing.


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"roi": -1, "price": 5}, "roi: a weight cannot be negative (-1)."),
        ({"roi": math.inf, "price": 5}, "roi: inf is not a finite number."),
        ({"roi": math.nan, "price": 5}, "roi: nan is not a finite number."),
        ({"roi": "lots", "price": 5}, "roi: 'lots' is not a number."),
        ({"roi": 0, "price": 0}, "At least one weight must be above zero; all are 0."),
        (
            {"no-such-criterion": 3},
            "There is no criterion with the key 'no-such-criterion'.",
        ),
        ({}, "A profile needs at least one weight."),
    ],
)
def test_it_rejects_bad_weights_and_saves_nothing(editor, profile, weights, message):
    history_rows = Weight.history.count()
    with pytest.raises(ValidationError) as error:
        save_profile(user=editor, profile=profile, weights=weights)
    assert message in str(error.value)
    assert weights_of(profile) == {"roi": 50, "price": 50}
    assert Weight.history.count() == history_rows


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Team-View", "is not a lower-case slug"),
        ("team view", "is not a lower-case slug"),
        ("TEAM-VIEW-2", "is not a lower-case slug"),
        ("compare", "is reserved for a page"),
        ("", "Enter a key."),
    ],
)
def test_it_rejects_profile_slugs_that_are_not_lower_case_unique_slugs(
    editor, slug, message
):
    with pytest.raises(ValidationError) as error:
        save_profile(
            user=editor,
            profile=WeightProfile(),
            data={"slug": slug, "name": "X"},
            weights={"roi": 1},
        )
    assert message in str(error.value)
    assert not WeightProfile.objects.filter(name="X").exists()


def test_it_rejects_a_slug_that_clashes_in_any_case(editor, profile):
    with pytest.raises(ValidationError) as error:
        save_profile(
            user=editor,
            profile=WeightProfile(),
            data={"slug": "team-view", "name": "Y"},
            weights={"roi": 1},
        )
    assert "'team-view' is already used by Team view." in str(error.value)


def test_users_without_the_model_permission_cannot_save(profile):
    plain = User.objects.create_user("plain", password="pw-plain-123")
    with pytest.raises(PermissionDenied):
        save_profile(user=plain, profile=profile, weights={"roi": 1})
    assert weights_of(profile) == {"roi": 50, "price": 50}


def test_an_unfollowed_profile_is_deleted_and_the_deletion_recorded(editor, profile):
    delete_profile(user=editor, profile=profile)
    assert not WeightProfile.objects.filter(slug="team-view").exists()
    deleted = WeightProfile.history.get(slug="team-view", history_type="-")
    assert deleted.history_user == editor


def test_a_followed_profile_is_not_deleted_and_the_refusal_names_its_evaluations(
    editor, member, profile
):
    _, workspace = member
    EvaluationFactory(workspace=workspace, profile=profile, name="Pick a copilot")
    with pytest.raises(ValidationError) as error:
        delete_profile(user=editor, profile=profile)
    assert error.value.messages == [
        "The weight profile “Team view” (team-view) was not deleted: evaluation "
        f"“Pick a copilot” (workspace “{workspace.name}”) follows it."
    ]
    assert WeightProfile.objects.filter(pk=profile.pk).exists()


def test_a_builtin_profile_is_not_deleted(editor):
    builtin = WeightProfile.objects.get(slug="menlo-2024-pilot-risks")
    with pytest.raises(ValidationError, match="it is built in"):
        delete_profile(user=editor, profile=builtin)
    assert WeightProfile.objects.filter(pk=builtin.pk).exists()


def test_deleting_a_profile_needs_the_permission(profile):
    viewer = User.objects.create_user("viewer", is_staff=True)
    with pytest.raises(PermissionDenied):
        delete_profile(user=viewer, profile=profile)
    assert WeightProfile.objects.filter(pk=profile.pk).exists()

"""The catalogue editor (a staff user with the profile and criterion permissions) and
a profile of theirs."""

import pytest
from django.contrib.auth.models import Permission, User

from selector.models import WeightProfile
from selector.services.catalogue.profiles import save_profile

EDITOR_PERMS = [
    "add_weightprofile",
    "change_weightprofile",
    "delete_weightprofile",
    "view_weightprofile",
    "add_criterion",
    "change_criterion",
    "delete_criterion",
    "view_criterion",
]


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=EDITOR_PERMS))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def profile(editor):
    return save_profile(
        user=editor,
        profile=WeightProfile(),
        data={"slug": "team-view", "name": "Team view"},
        weights={"roi": 50, "price": 50},
    ).profile

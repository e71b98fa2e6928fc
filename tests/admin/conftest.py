"""Fixtures of the admin tests: a profile editor (staff with the weight profile
permissions), signed in, and the built-in app-selection profile."""

import pytest

from selector.models import WeightProfile
from tests.admin.profile_forms import PROFILE_PERMS
from tests.factories import make_user


@pytest.fixture
def profile_editor():
    return make_user("profile-editor", perms=PROFILE_PERMS)


@pytest.fixture
def profile_editor_client(client, profile_editor):
    client.force_login(profile_editor)
    return client


@pytest.fixture
def app_selection():
    return WeightProfile.objects.get(slug="menlo-2024-app-selection")

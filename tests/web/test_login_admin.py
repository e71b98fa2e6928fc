"""Unlocking a locked-out account: staff with the access-attempt permissions see the
lockouts in the admin and delete one to lift it."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD, UserFactory, make_user

pytestmark = pytest.mark.django_db

UNLOCKER_PERMS = ("view_accessattempt", "delete_accessattempt")


def lock_out(username: str) -> Client:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": username, "password": "wrong"})
    return client


def test_staff_with_the_permissions_see_lockouts_in_the_admin():
    UserFactory(username="dana")
    lock_out("dana")
    staff = Client()
    staff.force_login(make_user("keeper", perms=UNLOCKER_PERMS))
    assert "Access attempts" in staff.get("/admin/").content.decode()
    listing = staff.get("/admin/axes/accessattempt/?locked_out=yes").content.decode()
    assert "dana" in listing
    assert "Locked Out" in listing


def test_staff_without_the_permissions_do_not(client):
    client.force_login(make_user("plain-staff"))
    assert "Access attempts" not in client.get("/admin/").content.decode()
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_deleting_the_access_attempt_in_the_admin_unlocks_the_account():
    user = UserFactory(username="dana")
    dana = lock_out("dana")
    assert (
        dana.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    ).status_code == 429

    staff = Client()
    staff.force_login(make_user("keeper", perms=UNLOCKER_PERMS))
    attempt = AccessAttempt.objects.get(username="dana")
    url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert "Are you sure" in staff.get(url).content.decode()
    assert staff.post(url, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()

    response = dana.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 302
    assert dana.session["_auth_user_id"] == str(user.pk)

"""Sign-in throttling (django-axes) through the real login form: repeated failures lock
an account and an address for a cool-off, on a page that says until when."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.db.models import F

from tests.config.test_settings import run_python
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LIMIT = settings.AXES_FAILURE_LIMIT


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def fail(client, username, times, address="127.0.0.1"):
    return [
        sign_in(client, username, "wrong", address).status_code for _ in range(times)
    ]


def move_attempts_back(delta: timedelta):
    """Move every recorded failure back by ``delta``, as if that time had passed."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)


def end_the_cool_off():
    move_attempts_back(settings.AXES_COOLOFF_TIME)


def test_the_threshold_and_cool_off_come_from_the_settings():
    assert LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_failures_below_the_limit_still_let_the_right_password_in(client):
    user = UserFactory(username="dana")
    assert fail(client, "dana", LIMIT - 1) == [200] * (LIMIT - 1)
    response = sign_in(client, "dana", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == str(user.pk)


def test_repeated_wrong_passwords_lock_the_account_with_a_page_saying_until_when(
    client,
):
    UserFactory(username="dana")
    statuses = fail(client, "dana", LIMIT)
    assert statuses == [200] * (LIMIT - 1) + [429]
    response = sign_in(client, "dana", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "You can try again in 15 minutes, at " in page
    assert 'class="brand"' in page  # the site's layout, not a bare message
    assert 890 <= int(response["Retry-After"]) <= 900


def test_the_right_password_is_refused_while_locked_and_accepted_after_the_cool_off(
    client,
):
    user = UserFactory(username="dana")
    fail(client, "dana", LIMIT)
    response = sign_in(client, "dana", PASSWORD)
    assert response.status_code == 429
    assert signed_in_as(client) is None

    end_the_cool_off()
    response = sign_in(client, "dana", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == str(user.pk)


def test_failures_while_locked_do_not_extend_the_lock(client):
    UserFactory(username="dana")
    fail(client, "dana", LIMIT)
    fail(client, "dana", 20)
    assert AccessAttempt.objects.get().failures_since_start == LIMIT
    end_the_cool_off()
    assert sign_in(client, "dana", PASSWORD).status_code == 302


def test_one_account_guessed_from_many_addresses_is_locked_everywhere(client):
    UserFactory(username="dana")
    for n in range(LIMIT):
        sign_in(client, "dana", "wrong", address=f"203.0.113.{n + 1}")
    response = sign_in(client, "dana", PASSWORD, address="198.51.100.9")
    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_many_accounts_guessed_from_one_address_lock_that_address(client):
    UserFactory(username="erin")
    statuses = [
        sign_in(client, f"victim{n}", "wrong", address="203.0.113.7").status_code
        for n in range(LIMIT)
    ]
    assert statuses == [200] * (LIMIT - 1) + [429]
    assert sign_in(client, "erin", PASSWORD, address="203.0.113.7").status_code == 429
    # The same account from another address is not affected.
    assert sign_in(client, "erin", PASSWORD, address="198.51.100.9").status_code == 302


def test_the_lock_ends_when_the_failures_that_caused_it_age_out(client):
    """An address locked by failures spread over time: the page names the time the
    oldest failure that still counts leaves the cool-off window."""
    for n in range(LIMIT):
        sign_in(client, f"victim{n}", "wrong", address="203.0.113.7")
        AccessAttempt.objects.filter(username=f"victim{n}").update(
            attempt_time=F("attempt_time") - timedelta(minutes=10 - n)
        )
    response = sign_in(client, "victim0", "wrong", address="203.0.113.7")
    assert response.status_code == 429
    # The oldest of the five failures was 10 minutes ago: 5 minutes left, not 15.
    assert 290 <= int(response["Retry-After"]) <= 300
    assert "You can try again in 5 minutes" in response.content.decode()
    UserFactory(username="erin")
    move_attempts_back(timedelta(seconds=280))
    assert sign_in(client, "erin", PASSWORD, address="203.0.113.7").status_code == 429
    move_attempts_back(timedelta(seconds=21))
    assert sign_in(client, "erin", PASSWORD, address="203.0.113.7").status_code == 302


def test_axes_reset_username_unlocks_an_account(client):
    user = UserFactory(username="dana")
    fail(client, "dana", LIMIT)
    call_command("axes_reset_username", "dana")
    assert sign_in(client, "dana", PASSWORD).status_code == 302
    assert signed_in_as(client) == str(user.pk)


def test_the_admin_login_is_throttled_too(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 429


def test_the_threshold_and_cool_off_are_read_from_the_environment():
    result = run_python(
        "from django.conf import settings as s\n"
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())",
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_COOLOFF_MINUTES="2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "120.0"]
    refused = run_python("", LOGIN_FAILURE_LIMIT="0")
    assert "LOGIN_FAILURE_LIMIT='0' must be at least 1" in refused.stderr

"""The page a sign-in gets while its account or address is locked out: django-axes
calls ``lockout_response`` (``AXES_LOCKOUT_CALLABLE``) instead of its bare message."""

import math
from datetime import datetime, timedelta

from axes.helpers import (
    get_client_parameters,
    get_client_username,
    get_cool_off,
    get_failure_limit,
)
from axes.models import AccessAttempt
from django.shortcuts import render
from django.utils import timezone


def lockout_response(request, original_response, credentials):
    """A 429 in the site's layout saying when signing in works again (also as
    ``Retry-After``)."""
    now = timezone.now()
    ends = lock_ends_at(request, credentials, now)
    seconds = max(1, math.ceil((ends - now).total_seconds()))
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        # Both rounded up to whole minutes, so trying at the time shown always works.
        "wait_minutes": math.ceil(seconds / 60),
        "until": next_minute(ends),
    }
    response = render(request, "registration/lockout.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def next_minute(moment: datetime) -> datetime:
    """``moment`` rounded up to a whole minute."""
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(minutes=1)


def lock_ends_at(request, credentials, now: datetime) -> datetime:
    """When the failures that lock this request out have left the cool-off window.

    Axes sums, per lockout parameter (username, address), the failures of the attempts
    newer than the cool-off, and locks while a sum reaches the limit. Taking attempts
    newest first, the lock on one parameter lasts until the cool-off has passed since
    the attempt at which the running sum reaches the limit; the latest of those wins.
    """
    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    parameters = get_client_parameters(
        get_client_username(request, credentials),
        request.axes_ip_address,
        request.axes_user_agent,
        request,
        credentials,
    )
    ends = now
    for filters in parameters:
        attempts = (
            AccessAttempt.objects.filter(**filters, attempt_time__gte=now - cool_off)
            .order_by("-attempt_time")
            .values_list("attempt_time", "failures_since_start")
        )
        total = 0
        for attempt_time, failures in attempts:
            total += failures
            if total >= limit:
                ends = max(ends, attempt_time + cool_off)
                break
    return ends

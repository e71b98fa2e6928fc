"""Token authentication that stops listening to an address after repeated bad tokens.

DRF's throttles run after authentication, so a request whose token fails never reaches
them (``tests/api/test_throttling.py`` shows it). This class counts those failures per
client address in the cache, in fixed windows of ``TOKEN_FAILURE_WINDOW_SECONDS``; once
an address has ``TOKEN_FAILURE_LIMIT`` in the current window, every token it sends, good
or bad, is a 429 with ``Retry-After`` until the window ends. Requests without a token
header (sessions, public endpoints) are not counted and cost no cache look-up.
"""

import logging
import math
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

logger = logging.getLogger(__name__)


class TooManyTokenFailures(exceptions.Throttled):
    default_detail = _("Too many failed token authentications from this address.")
    default_code = "token_failures"


class TokenFailures:
    """The bad tokens one address sent in the current window, counted in the cache.

    Windows are aligned on multiples of their length, so the count is one integer
    that the cache increments atomically (locmem and Redis alike) and the end of the
    window is known without asking the cache for a key's expiry.
    """

    def __init__(self, address: str):
        self.window = settings.TOKEN_FAILURE_WINDOW_SECONDS
        now = time.time()
        start = now - now % self.window
        self.key = f"token-failures:{address}:{int(start)}"
        self.seconds_left = max(1, math.ceil(start + self.window - now))

    def over_limit(self) -> bool:
        return cache.get(self.key, 0) >= settings.TOKEN_FAILURE_LIMIT

    def add(self) -> int:
        """Count one more failure; the new count."""
        # The key outlives its window by a second, so it cannot expire between add
        # and incr.
        cache.add(self.key, 0, timeout=self.seconds_left + 1)
        return cache.incr(self.key)


class ThrottledTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>``, with bad tokens throttled per address."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        address = get_client_ip_address(request) or "unknown"
        failures = TokenFailures(address)
        if failures.over_limit():
            raise TooManyTokenFailures(wait=failures.seconds_left)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            if failures.add() == settings.TOKEN_FAILURE_LIMIT:
                logger.warning(
                    "Token authentication from %s refused for %d s after %d failures.",
                    address,
                    failures.seconds_left,
                    settings.TOKEN_FAILURE_LIMIT,
                )
            raise

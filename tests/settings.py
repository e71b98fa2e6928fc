"""The test run's settings: the project's own, with a fast password hasher.

PBKDF2's 1,000,000 iterations are the point in production and most of the suite's time
in tests, which create hundreds of users; nothing in the tests depends on the hash.

Sign-in throttling (django-axes) stays on, as in production, so the browser tests sign
in through it. Axes needs the request passed to ``authenticate()``, which the test
client's ``login()`` does not do (it raises): sign tests in with ``force_login``, or
post the login form.
"""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

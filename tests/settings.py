"""The test run's settings: the project's own, with a fast password hasher.

PBKDF2's 1,000,000 iterations are the point in production and most of the suite's time
in tests, which create hundreds of users; nothing in the tests depends on the hash.
"""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

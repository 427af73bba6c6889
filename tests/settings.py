"""Settings for the test suite: the project's settings with fast, local, in-memory pieces."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SITE_URL", "http://testserver")

from portal.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# The Redis backend is exercised once in CI against the local Redis (tests marked "redis").
RQ_QUEUES = {
    name: {"URL": os.environ.get("GUICHET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")}
    for name in TASK_QUEUES  # noqa: F405
}

# Static files come from the apps' folders, as under runserver; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests change data between two views of the statistics: each view computes them afresh
# (tests/reporting/test_statistics.py turns the reuse back on to test it).
STATISTICS_CACHE_SECONDS = 0
# The webhooks' tests post to a receiving server on 127.0.0.1.
WEBHOOKS_ALLOW_LOCALHOST = True

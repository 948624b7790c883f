"""Settings for the test suite (a temporary SQLite file unless DATABASE_URL is set)."""

import os
import tempfile
from pathlib import Path

from openamt.conf.base import *  # noqa: F403
from openamt.conf.base import DATABASES, LOGGING, OAUTH2_PROVIDER
from openamt.conf.keys import new_private_key

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file with the production options (WAL, busy timeout), not memory: tests
    # marked `transactional` start worker processes that share the database.
    # One file per test run, so that parallel runs on one machine do not meet.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"openamt-test-{os.getpid()}.sqlite3")
    }
LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]
AXES_ENABLED = True
OPENAMT_SIGNING_KEY_FILE = None  # a key generated once per test process
OPENAMT_DEV_CA_DIR = None  # a development CA in memory, once per test process
OPENAMT_ANSWER_CACHE_SECONDS = 0  # tests see every change at once
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-otp's growing delay after a wrong code would make tests wait; the
# login's own limit of five codes per password step is tested instead.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] = new_private_key(2048)  # one per test process
OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"] = ["https", "http"]
OPENAMT_TEST_EID = True
OPENAMT_VIRUS_SCANNER = "eicar-test"

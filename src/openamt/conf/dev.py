"""Settings for `make run` on a developer's or evaluator's machine."""

from openamt.conf.base import *  # noqa: F403
from openamt.conf.base import VAR_DIR
from openamt.conf.env import env_str

DEBUG = True
# A fixed key would be shared by every checkout; a generated one lives in var/.
_key_file = VAR_DIR / "secret_key"
if not env_str("SECRET_KEY"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()

# Confirmation links and notices appear in the terminal of `make run`.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

"""Settings for `make run` on a developer's or evaluator's machine."""

from openamt.conf.base import *  # noqa: F403
from openamt.conf.base import OAUTH2_PROVIDER, OIDC_KEY_DIR, VAR_DIR
from openamt.conf.env import env_bool, env_str
from openamt.conf.keys import oidc_keys

# Off by default, so that `make run` shows the German 404 and 500 pages citizens
# see; OPENAMT_DEBUG=1 shows Django's technical pages instead. WhiteNoise then
# serves the static files straight from the sources.
DEBUG = env_bool("OPENAMT_DEBUG", False)
OPENAMT_DEVELOPMENT = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
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

# A first OpenID signing key is made on the first start; local clients may use http.
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"], OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEYS_INACTIVE"] = (
    oidc_keys(OIDC_KEY_DIR, create=True)
)
OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"] = ["https", "http"]
OPENAMT_TEST_EID = env_bool("OPENAMT_TEST_EID", True)  # clearly labelled on the login page
OPENAMT_VIRUS_SCANNER = env_str("OPENAMT_VIRUS_SCANNER", "eicar-test")  # no clamd needed locally

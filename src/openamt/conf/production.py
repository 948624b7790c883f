"""Production settings: secure defaults; refuses to start without a secret key."""

from django.core.exceptions import ImproperlyConfigured

from openamt.conf.base import *  # noqa: F403
from openamt.conf.base import DATABASES, OAUTH2_PROVIDER, OIDC_KEY_DIR, SECRET_KEY, STORAGES
from openamt.conf.env import env_bool, env_int, env_str

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY muss in der Produktion gesetzt sein.")

DEBUG = False
if env_bool("OPENAMT_TEST_EID", False):
    raise ImproperlyConfigured(
        "OPENAMT_TEST_EID simuliert die Online-Ausweisfunktion und ist in der Produktion verboten."
    )
if env_str("OPENAMT_VIRUS_SCANNER", "clamav") != "clamav":
    raise ImproperlyConfigured(
        "In der Produktion prüft ClamAV die Uploads (OPENAMT_VIRUS_SCANNER=clamav)."
    )
if not OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]:
    raise ImproperlyConfigured(
        f"Kein OpenID-Signaturschlüssel in {OIDC_KEY_DIR}: bitte „openamt oidc-rotate-key“ ausführen."
    )
# Each worker keeps its database connection between requests: opening one
# costs more than answering a Zuständigkeitsfinder question (bench/).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

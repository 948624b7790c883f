"""Settings shared by every environment; everything site-specific comes from the environment."""

from pathlib import Path

import dj_database_url

from openamt.conf.env import env_bool, env_int, env_list, env_object, env_path, env_str
from openamt.conf.keys import oidc_keys

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = env_path("OPENAMT_VAR_DIR", PROJECT_DIR / "var")
# Newer editions of the official data than the package ships (core/editions.py).
DATA_DIR = env_path("OPENAMT_DATA_DIR", None)
# Other people's published documents the tests check against (FIT-Connect API
# description, e-invoice artefacts, xdomea schemas): read in place, never copied.
REFERENCE_DIR = env_path("OPENAMT_REFERENCE_DIR", PROJECT_DIR.parent / "shared")
# The xdomea 3.0 schemas (XÖV, KoSIT) the Aussonderung messages to the archive are
# checked against; entry point `xdomea_3.0.0/xdomea.xsd` below this folder.
XDOMEA_SCHEMA_DIR = env_path("OPENAMT_XDOMEA_SCHEMA_DIR", REFERENCE_DIR / "data" / "xdomea")

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = False
# The development settings (`make run`): demo logins, keys made on first start.
OPENAMT_DEVELOPMENT = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "oauth2_provider",
    "ninja",  # serves the API docs' assets locally (CSP, no third-party CDN)
    "django_tasks",
    "django_tasks_db",
    "openamt.core",
    # Plugins register themselves in their AppConfig.ready() (GUIDE §2, §8).
    "openamt.core.contrib.clamav",
    "openamt.core.contrib.eicar_test",
    "openamt.core.contrib.pyhanko_seal",
    "openamt.core.contrib.csc_seal",
    "openamt.accounts",
    "openamt.accounts.contrib.eid_test",
    "openamt.accounts.contrib.upstream_oidc",
    "openamt.oidc",
    "openamt.mailbox",
    "openamt.forms",
    "openamt.submissions",
    "openamt.submissions.contrib.email",
    "openamt.submissions.contrib.fit_connect",
    "openamt.submissions.contrib.webhook",
    "openamt.cases",
    "openamt.cases.contrib.eingang",
    "openamt.regions",
    "openamt.organisations",
    "openamt.catalogue",
    "openamt.responsibility",
    "openamt.portal",
    "openamt.backoffice",
    "openamt.api",  # on top of every app: the composed API and its schema command
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "openamt.core.middleware.SecurityHeadersMiddleware",
    "openamt.core.middleware.DomainErrorMiddleware",
    "openamt.core.middleware.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "openamt.accounts.middleware.AccountSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openamt.urls"
WSGI_APPLICATION = "openamt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openamt.core.context_processors.site",
                "openamt.accounts.context_processors.account",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'openamt.sqlite3'}"),
        # The development server starts a thread per request, so it cannot
        # reuse connections; production keeps them (conf/production.py).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; IMMEDIATE
    # transactions avoid "database is locked" upgrades from read to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling: five failures per user name and address lock for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "backoffice/locked_out.html"
AXES_VERBOSE = False
# Behind a load balancer the client address is the last proxy's X-Forwarded-For
# entry; without this every client would share the balancer's address.
AXES_IPWARE_PROXY_COUNT = env_int("OPENAMT_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/kern", PROJECT_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {
        "BACKEND": env_str("OPENAMT_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REDIS_URL = env_str("REDIS_URL", "")
TASK_BACKEND = env_str("OPENAMT_TASK_BACKEND", "database")
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail to account holders (confirmation links, "new message in your Postfach").
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OpenAmt Servicekonto <servicekonto@localhost>")

# The largest request body of any page or API operation; larger ones are answered
# with 413 unread (core.middleware.RequestLimitsMiddleware). A delivery carries its
# PDFs Base64-encoded in one JSON request, hence 30 MB by default.
OPENAMT_MAX_REQUEST_MB = env_int("OPENAMT_MAX_REQUEST_MB", 30)
DATA_UPLOAD_MAX_MEMORY_SIZE = OPENAMT_MAX_REQUEST_MB * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Structured JSON logs. Records carry no personal data: request logs hold the
# path template and status, never user names, addresses or query strings.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "openamt.core.logging.RedactPersonalDataFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

OPENAMT_LAND_ARS = env_str("OPENAMT_LAND_ARS", "16")
# The Land whose public holidays make a day a non-working day in statutory
# periods (ISO 3166-2 subdivision code of the `holidays` library, "TH" Thuringia).
OPENAMT_HOLIDAY_SUBDIVISION = env_str("OPENAMT_HOLIDAY_SUBDIVISION", "TH")
# The Mandant that XZuFi identifiers of this installation belong to (schemeAgencyID).
OPENAMT_XZUFI_MANDANT = env_str("OPENAMT_XZUFI_MANDANT", f"openamt_{OPENAMT_LAND_ARS}")
# The installation's name (header, footer, page titles) and coat of arms next
# to it: a path under the static files ("openamt/wappen.svg") or an https URL.
OPENAMT_SITE_NAME = env_str("OPENAMT_SITE_NAME", "OpenAmt Thüringen")
OPENAMT_COAT_OF_ARMS = env_str("OPENAMT_COAT_OF_ARMS", "")
# FIT-Connect: key that signs routing answers, and the submission host they name.
OPENAMT_SIGNING_KEY_FILE: Path | None = env_path(
    "OPENAMT_SIGNING_KEY_FILE", VAR_DIR / "signing-key.json"
)
OPENAMT_PUBLIC_URL = env_str("OPENAMT_PUBLIC_URL", "http://127.0.0.1:8000")
# A worker holds a claimed outbox job (delivery, mail) this long (seconds); a
# job whose worker died is taken over after it. Longer than any one attempt.
OPENAMT_OUTBOX_LEASE_SECONDS = env_int("OPENAMT_OUTBOX_LEASE_SECONDS", 300)
# Public answers of the Zuständigkeitsfinder are cached this long (seconds).
OPENAMT_ANSWER_CACHE_SECONDS = env_int("OPENAMT_ANSWER_CACHE_SECONDS", 60)
# Shared cache: Redis when configured (several app processes), else per process.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

# Uploads are scanned by a scanner plugin: "clamav" or, for development and tests
# only, "eicar-test"; its options as a JSON object, validated by the plugin
# (clamav: {"address": "host:port" or a Unix socket path, "timeout": seconds}).
OPENAMT_VIRUS_SCANNER = env_str("OPENAMT_VIRUS_SCANNER", "clamav")
OPENAMT_VIRUS_SCANNER_OPTIONS = env_object("OPENAMT_VIRUS_SCANNER_OPTIONS")

# Seals of decisions (organisations/seals.py). Outside production an authority
# without a seal of its own seals with a development CA made on first use in
# this folder; production refuses to seal without one. The validator trusts
# the CA certificates in these PEM files (comma-separated paths), and the
# development CA outside production.
OPENAMT_DEV_CA_DIR: Path | None = env_path("OPENAMT_DEV_CA_DIR", VAR_DIR / "dev-ca")
OPENAMT_SEAL_TRUST_ROOTS = env_list("OPENAMT_SEAL_TRUST_ROOTS")

# Key for secrets kept encrypted in the database (default: derived from SECRET_KEY);
# earlier keys, comma-separated, still decrypt during a rotation.
OPENAMT_SEALING_KEY = env_str("OPENAMT_SEALING_KEY", "")
OPENAMT_SEALING_OLD_KEYS = env_list("OPENAMT_SEALING_OLD_KEYS")

# The archive closed files are offered to (xdomea Aussonderung, `openamt xdomea`):
# its name and the identifier it gave the Land's authorities.
OPENAMT_ARCHIVE_NAME = env_str("OPENAMT_ARCHIVE_NAME", "Landesarchiv Thüringen")
OPENAMT_ARCHIVE_CODE = env_str("OPENAMT_ARCHIVE_CODE", "LATh")
# Key of the audit log's hash chain (HMAC-SHA256; default: derived from SECRET_KEY);
# earlier keys, comma-separated, still verify the entries they chained.
OPENAMT_AUDIT_KEY = env_str("OPENAMT_AUDIT_KEY", "")
OPENAMT_AUDIT_OLD_KEYS = env_list("OPENAMT_AUDIT_OLD_KEYS")
# Storage (an alias of STORAGES) that keeps the signed checkpoints of the audit
# log, under audit-checkpoints/; best one the database's users cannot write.
OPENAMT_AUDIT_CHECKPOINT_STORAGE = env_str("OPENAMT_AUDIT_CHECKPOINT_STORAGE", "default")

# Unchanged application drafts are deleted after this many days.
OPENAMT_DRAFT_RETENTION_DAYS = env_int("OPENAMT_DRAFT_RETENTION_DAYS", 30)
# A Nachforderung's reminder goes to the applicant this many working days
# before its deadline (Monday to Friday, the Land's public holidays excluded).
OPENAMT_REQUEST_REMINDER_WORKDAYS = env_int("OPENAMT_REQUEST_REMINDER_WORKDAYS", 3)
# How long the e-mailed link to continue an anonymous draft works.
OPENAMT_RESUME_LINK_DAYS = env_int("OPENAMT_RESUME_LINK_DAYS", 7)

# TEST ONLY: simulated eID login reaching "hoch"; production refuses to start with it.
OPENAMT_TEST_EID = env_bool("OPENAMT_TEST_EID", False)

# An upstream OpenID provider (e.g. BundID or a Keycloak) to log in with; its
# `acr` decides the assurance level. Off unless a metadata URL is set.
OPENAMT_UPSTREAM_OIDC = {
    "label": env_str("OPENAMT_UPSTREAM_OIDC_LABEL", "BundID"),
    "server_metadata_url": env_str("OPENAMT_UPSTREAM_OIDC_METADATA_URL", ""),
    "client_id": env_str("OPENAMT_UPSTREAM_OIDC_CLIENT_ID", ""),
    "client_secret": env_str("OPENAMT_UPSTREAM_OIDC_CLIENT_SECRET", ""),
    "max_level": env_str("OPENAMT_UPSTREAM_OIDC_MAX_LEVEL", "hoch"),
}

# The Servicekonto as OpenID provider (django-oauth-toolkit): code flow with
# PKCE only; `acr` carries the session's assurance level.
OIDC_KEY_DIR = env_path("OPENAMT_OIDC_KEY_DIR", VAR_DIR / "oidc-keys")
_OIDC_KEY, _OIDC_RETIRED_KEYS = oidc_keys(OIDC_KEY_DIR, create=False)
# The toolkit's own models, named for migrations that refer to them.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER: dict = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _OIDC_KEY,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": _OIDC_RETIRED_KEYS,
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "openamt.oidc.validators.Validator",
    "SCOPES": {
        "openid": "Kennung im Servicekonto und Vertrauensniveau",
        "email": "E-Mail-Adresse",
        "profile": "Name",
        "postfach:zustellen": "Nachrichten in Postfächer zustellen",
        "antraege:einreichen": "Anträge für Antragstellende einreichen (vertrauenswürdige Portale)",
    },
    "DEFAULT_SCOPES": ["openid"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    "ID_TOKEN_EXPIRE_SECONDS": 600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 8 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    # A refresh token used twice was stolen or replayed: the whole family is revoked.
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "REQUEST_APPROVAL_PROMPT": "auto",
    # Only the authorisation code flow with PKCE (S256); no implicit or hybrid
    # flows, no `plain` challenges (RFC 9700 §2.1.1), no tokens in query strings.
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "client_credentials", "refresh_token"],
    "OIDC_SERVER_CLASS": "openamt.oidc.server.Server",
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    # RP-initiated logout: only to post-logout addresses registered for the client.
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    # An ID token is only a hint of whom to log out: an expired one still names the session.
    "OIDC_RP_INITIATED_LOGOUT_ACCEPT_EXPIRED_TOKENS": True,
    # The tokens of the ended session are revoked by the Servicekonto's own
    # logout (openamt.oidc.views.LogoutView), not every token of the user.
    "OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS": False,
}

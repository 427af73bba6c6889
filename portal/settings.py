"""Settings for Guichet, read from the environment (12-factor).

Every value a deployment changes comes from an environment variable; the defaults suit a
developer's machine (SQLite in the project folder, console email, immediate tasks). With
``DEBUG=0`` a ``SECRET_KEY`` and a ``SITE_URL`` are required and the production security
settings apply.
"""

import importlib.util
import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def provider_origins(providers: list) -> list[str]:
    """The origins of the sign-in services' issuers. The sign-in buttons and the sign-out
    form post to the portal, which redirects there: browsers check such a redirect against
    the CSP's form-action."""
    origins = set()
    for provider in providers:
        issuer = urlsplit(str(provider.get("issuer", "")) if isinstance(provider, dict) else "")
        if issuer.scheme in {"http", "https"} and issuer.netloc:
            origins.add(f"{issuer.scheme}://{issuer.netloc}")
    return sorted(origins)


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a development machine).")
    SECRET_KEY = "development-only-key-never-used-in-production-guichet-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
# Every link in emails and on certificates starts with it: a production without it would send
# links to 127.0.0.1 and print them, for years, on certificates (see portal/links.py).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SITE_URL to the portal's public address, e.g. https://guichet.example.be "
            "(or DEBUG=1 for a development machine)."
        )
    SITE_URL = "http://127.0.0.1:8000"
# Days a background export's file is kept (manage.py purge_exports deletes older ones).
EXPORT_RETENTION_DAYS = int(os.environ.get("EXPORT_RETENTION_DAYS", "7"))
# Days an admin's large import left unconfirmed, invalid or failed keeps its file and row
# errors (manage.py purge_imports deletes older ones).
IMPORT_RETENTION_DAYS = int(os.environ.get("IMPORT_RETENTION_DAYS", "7"))
# Prefix of the grant identifiers published as open data (a 360Giving publisher prefix).
OPEN_DATA_PREFIX = os.environ.get("OPEN_DATA_PREFIX", "360G-guichet")
# The open-data catalogue (DCAT-AP, /open-data/catalog.jsonld; docs/open-data.md): who
# publishes (a name, a URI identifying the body, an ADMS publisher type), whom to write to,
# the licence of every dataset (an EU licence authority URI or a Creative Commons URL) and
# the area the data covers (an EU country, place or NUTS URI).
OPEN_DATA_PUBLISHER_NAME = os.environ.get("OPEN_DATA_PUBLISHER_NAME", "Guichet")
OPEN_DATA_PUBLISHER_URI = os.environ.get("OPEN_DATA_PUBLISHER_URI", "")
OPEN_DATA_PUBLISHER_TYPE = os.environ.get("OPEN_DATA_PUBLISHER_TYPE", "RegionalAuthority")
OPEN_DATA_CONTACT_EMAIL = os.environ.get("OPEN_DATA_CONTACT_EMAIL", "")
OPEN_DATA_LICENCE = os.environ.get(
    "OPEN_DATA_LICENCE", "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
)
OPEN_DATA_SPATIAL = os.environ.get(
    "OPEN_DATA_SPATIAL", "http://publications.europa.eu/resource/authority/country/BEL"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    # Before the admin, which it extends with a tab per language.
    "modeltranslation",
    "portal",
    "applications",
    "review",
    "labels",
    "reporting",
    "surveillance",
    "webhooks",
    "api",
    "portal.adminsite.GuichetAdminConfig",  # django.contrib.admin, named Guichet
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "django_fsm",
    "django_filters",
    "import_export",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    # Django REST framework works without being an installed app here (the API answers JSON
    # only; no browsable pages, no authtoken): installed, its catalogues would override
    # Django's own wording of common messages across the portal (an informal German "Gib …").
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
# The benchmark (``manage.py bench``) is a development tool that lives in the repository
# and is not packaged (pyproject.toml lists the product's packages only): an installed
# product has no ``benchmark`` package of ours, and only a checkout adds its app and
# command (a package of that name from elsewhere is not ours).
_benchmark = importlib.util.find_spec("benchmark")
if _benchmark is not None and Path(_benchmark.origin or "").parent == BASE_DIR / "benchmark":
    INSTALLED_APPS.append("benchmark")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost after static files, so that even an error page raised by a middleware below
    # (a database out of reach while loading the session) carries the security headers.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Links in emails follow the served host on a development machine (portal/links.py).
    "portal.links.OriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
            # ``long_date`` / ``long_datetime`` (portal/dates.py) and ``euros``
            # (portal/figures.py) in every template.
            "builtins": [
                "portal.templatetags.dates",
                "portal.templatetags.figures",
                "portal.templatetags.texts",
            ],
        },
    },
]
FORM_RENDERER = "portal.renderers.FormRenderer"

# Database: SQLite in the project folder unless DATABASE_URL names another (PostgreSQL in
# production, through psycopg 3).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Indexes that include columns for PostgreSQL's index-only reads (the dossiers by state, the
# reports by period) are made without them on SQLite, which is what we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"
# Confirmation, password-reset and invitation links stay valid for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
INVITATION_VALIDITY = timedelta(days=14)

# Language and time: French (Belgium) first, then German and Dutch (Belgium's other
# official languages) and English; Brussels time.
LANGUAGE_CODE = "fr-be"
LANGUAGES = [("fr-be", _("French")), ("de", _("German")), ("nl", _("Dutch")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "guichet_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Europe/Brussels"
# Day-month-year and a 24-hour clock in every language (portal/formats/).
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
# Texts staff write (programme and call texts, form questions, indicators, conditions) have
# a column per language (django-modeltranslation, registered in each app's translation.py);
# French is required and is what a reader sees where a translation is missing.
MODELTRANSLATION_LANGUAGES = ("fr", "de", "nl", "en")
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
MODELTRANSLATION_CUSTOM_FIELDS = ("LimitedTextField",)
USE_TZ = True

# Static files are served by whitenoise; uploads never live under a public URL.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Email: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Guichet <no-reply@guichet.localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# How long the statistics of a programme are reused before they are computed again.
STATISTICS_CACHE_SECONDS = int(os.environ.get("STATISTICS_CACHE_SECONDS", "600"))

# Cache (throttling counters): per process by default; set CACHE_URL=redis://… so that
# several application servers share it.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work through Django's Tasks API. "immediate" runs in the request (no server);
# "database" needs `manage.py db_worker`; "rq" needs Redis and `manage.py rqworker`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASK_QUEUES = ["default", "exports"]
TASKS = {
    "default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": TASK_QUEUES},
}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900} for name in TASK_QUEUES}

# Login throttling: five failures for one address from one IP lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "portal.views.accounts.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Lockout log lines name the client by a keyed hash, never by address or IP.
AXES_CLIENT_STR_CALLABLE = "portal.throttle.sign_in_client"
# Behind a reverse proxy, the client's address is the one the proxies add to
# X-Forwarded-For (PROXY_COUNT proxies); never trust that header otherwise.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "new_password1"]

# Sign-in through OpenID Connect (portal/oidc.py, docs/sign-in.md): a JSON list of providers,
# each {"name", "label", "issuer", "client_id", "client_secret_env", "scope",
# "national_number_claim", "authorize_params"}; the secret itself stays in the variable that
# "client_secret_env" names. Password sign-in stays in any case.
try:
    OIDC_PROVIDERS = json.loads(os.environ.get("OIDC_PROVIDERS") or "[]")
except ValueError as error:
    raise ImproperlyConfigured(f"OIDC_PROVIDERS is not valid JSON: {error}") from None
if not isinstance(OIDC_PROVIDERS, list):
    raise ImproperlyConfigured("OIDC_PROVIDERS must be a JSON list of providers.")
# The key of the hashes that stand for national numbers and providers' subject identifiers:
# a secret of its own, so that a new SECRET_KEY does not unlink every account. Changing it
# unlinks them (people then sign in by verified email, or with their password).
NATIONAL_NUMBER_HASH_KEY = os.environ.get("NATIONAL_NUMBER_HASH_KEY", "")
if not NATIONAL_NUMBER_HASH_KEY:
    if OIDC_PROVIDERS and not DEBUG:
        raise ImproperlyConfigured("Set NATIONAL_NUMBER_HASH_KEY when OIDC_PROVIDERS is set.")
    NATIONAL_NUMBER_HASH_KEY = "development-only-hash-key-" + SECRET_KEY

# Security headers and Content Security Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *provider_origins(OIDC_PROVIDERS)],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("TRUST_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

ADMINS = [("Guichet", email) for email in env_list("ADMIN_EMAILS")]

# Logs go to standard output; request bodies and passwords are never logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print every message a second time.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Uploaded supporting documents: at most this many bytes each.
DOCUMENT_MAX_SIZE = int(os.environ.get("DOCUMENT_MAX_SIZE", str(10 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o640

# Verifiable labels (docs/verifiable-labels.md): the secret that encrypts the private halves
# of the label signing keys kept in the database (SECRET_KEY when unset: set it before the
# first key is made, as a new SECRET_KEY would otherwise lose the keys), and the age past
# which an offline verifier calls a status list stale.
LABEL_SIGNING_SECRET = os.environ.get("LABEL_SIGNING_SECRET", "") or SECRET_KEY
LABEL_STATUS_LIST_MAX_AGE_HOURS = int(os.environ.get("LABEL_STATUS_LIST_MAX_AGE_HOURS", "48"))

# Webhooks post to https addresses on public networks only; this lets them post to
# http(s)://127.0.0.1 and localhost as well (development, tests), docs/webhooks.md.
WEBHOOKS_ALLOW_LOCALHOST = os.environ.get("WEBHOOKS_ALLOW_LOCALHOST", "") == "1"

# The REST API (docs/api.md): tokens only (no session, so no CSRF to weigh), JSON only,
# numbered pages, django-filter, throttled per token and per anonymous address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.StaffToken"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["api.filters.FilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.TokenRateThrottle",
        "api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Anonymous callers are counted by address: X-Forwarded-For only behind our proxies.
    "NUM_PROXIES": PROXY_COUNT,
}
API_THROTTLE_RATES = {
    "token": os.environ.get("API_TOKEN_RATE", "1200/hour"),
    "anonymous": os.environ.get("API_ANONYMOUS_RATE", "300/hour"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guichet API",
    "DESCRIPTION": "Programmes, calls, labels and grants for anyone; dossiers and activity "
    "reports for a staff member's token (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

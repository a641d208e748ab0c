"""Kindred settings: one module, driven by environment variables.

Every variable is read through a typed helper; a malformed value stops start-up
with a message that names the variable, rather than running half-configured.
"""

import ipaddress
import os
import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """Comma-separated IP addresses or CIDR ranges, e.g. `10.0.0.0/8, 192.0.2.7`."""
    values = env_list(name, default)
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or CIDR ranges such as 10.0.0.0/8; got {value!r}"
            ) from None
    return values


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} must be an IANA time zone such as America/Chicago; got {value!r}") from None
    return value


def env_database(name: str, default_sqlite: Path) -> dict:
    """PostgreSQL from a postgres:// URL, or SQLite in the local data folder when unset."""
    raw = os.environ.get(name, "")
    if not raw:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    parts = urlsplit(raw)
    if parts.scheme not in {"postgres", "postgresql"} or not parts.path.strip("/"):
        raise ImproperlyConfigured(f"{name} must look like postgres://user:password@host:5432/dbname; got {raw!r}")
    try:
        port = parts.port or 5432
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port; got {raw!r}") from None
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    # No JIT compilation: for the dashboards' many-join queries it costs more than it saves (7 of 31 ms
    # of SQL on a supervisor's dashboard). `?options=...` in the URL replaces this.
    options.setdefault("options", "-c jit=off")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port),
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


def env_site_url(name: str, default: str) -> str:
    """An absolute http(s) address with no path, e.g. `https://kindred.example.org`, without a trailing slash."""
    raw = os.environ.get(name) or default
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path.strip("/") or parts.query:
        raise ImproperlyConfigured(f"{name} must be an address such as https://kindred.example.org; got {raw!r}")
    return raw.rstrip("/")


def env_redis_url(name: str) -> str:
    raw = os.environ.get(name, "")
    if raw and urlsplit(raw).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"{name} must look like redis://host:6379/0; got {raw!r}")
    return raw


DEBUG = env_bool("DEBUG", True)
# With DEBUG on, "not found" still shows Kindred's page; this brings back Django's technical page (it
# lists every URL pattern) for a developer who wants it.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", False)
_INSECURE_KEY = "kindred-insecure-development-key-change-me"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
# The address staff reach Kindred at: every link in an e-mail begins with it (a recipient cannot click
# a bare path, and a request's own Host header is not to be trusted with it).
if not DEBUG and not os.environ.get("SITE_URL"):
    raise ImproperlyConfigured(
        "SITE_URL must be set when DEBUG is off: the address Kindred is reached at, e.g. https://kindred.example.org"
    )
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
TIME_ZONE = env_time_zone("TIME_ZONE", "America/Chicago")
USE_TZ = True
LANGUAGE_CODE = "en-us"
USE_I18N = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "common",
    "accounts",
    "records",
    "families",
    "cases",
    "investigations",
    "planning",
    "court",
    "reporting",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.input.RefuseNulMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.RequestContextMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "common.errors.NotFoundPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", BASE_DIR / "data" / "kindred.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out username/IP pair never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# ... and, however active, this many hours after sign-in.
KINDRED_SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
# Changing roles, units, clearances or passwords asks for the password again when it was last
# entered longer ago than this.
KINDRED_REAUTHENTICATE_MINUTES = env_int("REAUTHENTICATE_MINUTES", 15)
# Administrators must sign in with a one-time code (TOTP) as well as their password.
KINDRED_REQUIRE_ADMIN_SECOND_FACTOR = env_bool("REQUIRE_ADMIN_SECOND_FACTOR", False)

# Failed sign-ins within LOGIN_LOCKOUT_MINUTES lock out a username and address pair (a mistyped
# password), a username from any addresses (one account guessed from many machines), and an
# address over any usernames (password spraying), each at its own limit.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
KINDRED_LOGIN_FAILURE_LIMIT_PER_USERNAME = env_int("LOGIN_FAILURE_LIMIT_PER_USERNAME", 20)
KINDRED_LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 50)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
# In this order: accounts.throttle reads the three counts by position.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "accounts.throttle.SignInThrottle"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Lock out by the client's address, not a proxy's (shared by everyone): see TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "accounts.middleware.client_ip"
# The proxies whose X-Forwarded-For is believed; a request from anywhere else is taken at its address.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", [])

# Security headers. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER_ENABLED=1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "data" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kindred@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api_support.PolicyPermission"],
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "common.schema.AutoSchema",
    # Every API list is paged, and every page it answers is audited as one list read.
    "DEFAULT_PAGINATION_CLASS": "accounts.api_support.AuditedPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kindred API",
    "DESCRIPTION": "Child welfare case management. Every endpoint enforces the same access policy as the pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema names every endpoint and field: signed-in staff only, like the rest of the API.
    "SERVE_PERMISSIONS": ["accounts.api_support.PolicyPermission"],
    # Several serializers share a choice set under the same field name ("role", "status", "field"):
    # name each enum once so the schema has one component per vocabulary.
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "cases.choices.MemberRole",
        "AssignmentRoleEnum": "cases.choices.AssignmentRole",
        "CaseStatusEnum": "cases.choices.CaseStatus",
        "ParticipantRoleEnum": "cases.choices.ParticipantRole",
        "StaffRoleEnum": "accounts.roles.Role",
        "InvestigationStatusEnum": "investigations.choices.InvestigationStatus",
        "FindingEnum": "investigations.choices.Finding",
        "SafetyDecisionEnum": "investigations.choices.SafetyDecision",
        "RiskLevelEnum": "investigations.choices.RiskLevel",
        "CrossReportMethodEnum": "investigations.choices.CrossReportMethod",
        "DeadlineKindEnum": "investigations.choices.DeadlineKind",
    },
}

# Guardian stores the explicit grants; accounts.access reads them. Its authentication backend
# stays unhooked so that `user.has_perm(obj)` cannot become a second, policy-blind way to decide.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, so
# `make run` runs the real worker and beat with no server to install.
REDIS_URL = env_redis_url("REDIS_URL")
CELERY_QUEUE_DIR = BASE_DIR / "data" / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    for folder in ("in", "processed"):
        (CELERY_QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "in"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "in"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "data" / "celerybeat-schedule")

# Agency rules that later issues read; an agency changes them here, not in code.
# The letterhead of every document (service plans, letters, court reports).
KINDRED_AGENCY_NAME = env_str("AGENCY_NAME", "Kindred County Children's Services")
KINDRED_AGENCY_ADDRESS = env_str("AGENCY_ADDRESS", "100 Main Street, Kindred, IL 62701")
KINDRED_AGENCY_PHONE = env_str("AGENCY_PHONE", "(555) 010-0100")
# The issuer an authenticator app shows beside the sign-in code.
OTP_TOTP_ISSUER = KINDRED_AGENCY_NAME
# Hours from the report's receipt to the first face-to-face contact, per response priority.
KINDRED_RESPONSE_HOURS = {
    "immediate": env_int("RESPONSE_HOURS_IMMEDIATE", 24),
    "3_days": env_int("RESPONSE_HOURS_3_DAYS", 72),
    "5_days": env_int("RESPONSE_HOURS_5_DAYS", 120),
    "10_days": env_int("RESPONSE_HOURS_10_DAYS", 240),
}
# The unit (its name) that receives the reports taken by intake screeners who belong to no unit; a
# screener's own unit receives theirs. Without it, such a screener cannot save a report: no supervisor
# would see it.
KINDRED_INTAKE_UNIT = env_str("INTAKE_UNIT", "")
# Age below which an alleged victim is a child (a screen-in needs one).
KINDRED_CHILD_AGE_LIMIT = 18
# The face-to-face visit rule: every child, parent and caregiver on an open case is seen at
# least every VISIT_INTERVAL_DAYS; "due soon" starts VISIT_DUE_SOON_DAYS before the due date.
KINDRED_VISIT_INTERVAL_DAYS = env_int("VISIT_INTERVAL_DAYS", 30)
KINDRED_VISIT_DUE_SOON_DAYS = env_int("VISIT_DUE_SOON_DAYS", 5)
# The federal (CFSR) monthly caseworker-visit measure's targets.
KINDRED_FEDERAL_VISITED_TARGET = 0.95
KINDRED_FEDERAL_IN_RESIDENCE_TARGET = 0.50
# When the overdue-visit job runs each day, in the agency's time zone.
KINDRED_VISIT_JOB_HOUR = env_int("VISIT_JOB_HOUR", 5)
# Investigations' deadlines: the safety assessment within SAFETY_ASSESSMENT_WORKING_DAYS working days
# of the first face-to-face contact (weekends and records.Holiday skipped); closure within
# INVESTIGATION_CLOSURE_DAYS calendar days of the report's receipt; "due soon" starts
# DEADLINE_DUE_SOON_HOURS before a deadline. Cross-report hours are per allegation type (CrossReportRule).
KINDRED_SAFETY_ASSESSMENT_WORKING_DAYS = env_int("SAFETY_ASSESSMENT_WORKING_DAYS", 2)
KINDRED_INVESTIGATION_CLOSURE_DAYS = env_int("INVESTIGATION_CLOSURE_DAYS", 30)
KINDRED_DEADLINE_DUE_SOON_HOURS = env_int("DEADLINE_DUE_SOON_HOURS", 24)
# How long a worker taken off an investigation may keep reading it, when their supervisor lets them.
KINDRED_KEPT_ACCESS_DAYS = env_int("KEPT_ACCESS_DAYS", 30)
# The risk assessment's levels: the lowest total score of each (RiskItem answers add up to the total).
KINDRED_RISK_LEVEL_FROM_SCORE = {"low": 0, "moderate": 3, "high": 6, "very_high": 9}
# When the investigation deadline job runs (minutes past each hour).
KINDRED_DEADLINE_JOB_MINUTE = env_int("DEADLINE_JOB_MINUTE", 15)
# Trigram similarity from which a name counts as a likely match (0..1; lower finds more).
KINDRED_PERSON_SEARCH_THRESHOLD = 0.5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own console handler would print every line a second time. WeasyPrint reports each
    # step of every PDF's layout at INFO.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

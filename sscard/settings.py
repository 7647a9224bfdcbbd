"""Settings for sscard, read from the environment.

Every knob is an environment variable (see docs/deploy.md). The defaults are the safe, production ones
(debug off, secure cookies, HSTS); `make run` turns on debug for the local portal.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SSCARD_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_mapping(name: str) -> dict[str, str]:
    """`key=value,key=value` -> {key: value}; an item without `=` maps to "" (which a system check reports)."""
    return {key.strip(): value.strip() for key, _sep, value in (item.partition("=") for item in env_list(name, ""))}


def _secret_key() -> str:
    key = os.environ.get("SSCARD_SECRET_KEY")
    if key:
        return key
    # Development secret, generated once into an ignored file (never committed).
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("SSCARD_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("SSCARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("SSCARD_CSRF_TRUSTED_ORIGINS", "")
# How many reverse proxies (load balancers) in front of the web nodes append to X-Forwarded-For.
TRUSTED_PROXY_HOPS = int(os.environ.get("SSCARD_TRUSTED_PROXY_HOPS", "0"))

INSTALLED_APPS = [
    "modeltranslation",  # translated reference data (sscard/reference/translation.py); before the admin
    "sscard.web.apps.AdminConfig",  # django.contrib.admin behind the staff second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",  # self-hosted API docs (Swagger UI) under the CSP
    "sscard.core",
    "sscard.web",
    "sscard.audit",
    "sscard.notify",
    "sscard.reference",
    "sscard.accounts",
    "sscard.applications",
    "sscard.cards",
    "sscard.records",
    "sscard.settlement",
    "sscard.casework",
    "sscard.ops",
]

MIDDLEWARE = [
    "sscard.ops.middleware.ObservabilityMiddleware",  # first: times the whole stack, sets the request id
    "sscard.apierrors.ApiErrorMiddleware",  # every error under /api/ in the API's JSON error shape
    "sscard.settlement.middleware.SettlementDetailBodyMiddleware",  # 3202's large body, that path only
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sscard.web.middleware.PrivateResponseMiddleware",  # no-store for signed-in users and form answers
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sscard.web.middleware.CSPMiddleware",  # django-csp's, the site policy's header built once
    "sscard.web.middleware.InactivityTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sscard.urls"
WSGI_APPLICATION = "sscard.wsgi.application"

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
                "sscard.web.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite is the zero-set-up default; production sets SSCARD_DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("SSCARD_DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("SSCARD_DB_CONN_MAX_AGE", "60")),
    )
}
# Prepared statements on PostgreSQL (docs/deploy.md): parameters are bound on the server, and a statement that
# recurs on a connection (after 5 runs, psycopg's prepare_threshold) is parsed and planned once and reused; the few
# hot reads of sscard/core/prepared.py are prepared at their first run. Off behind a pooler that cannot keep
# prepared statements (PgBouncer in transaction mode before 1.21): Django's defaults, parameters bound here.
DATABASE_PREPARED_STATEMENTS = env_bool("SSCARD_DB_PREPARED_STATEMENTS", True)
DATABASE_PREPARE_THRESHOLD = 5
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Tests use a file, not shared-cache memory, so concurrent writers wait for each other as in production.
    # One file per test process, so parallel test runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
elif DATABASE_PREPARED_STATEMENTS:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": DATABASE_PREPARE_THRESHOLD}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("SSCARD_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "sscard.core.rediscache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts and passwords -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sscard.accounts.backends.CitizenBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("real_name", "id_number", "phone")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sscard.accounts.validators.NotIdentityValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:space"
LOGOUT_REDIRECT_URL = "web:index"

# Lockout after repeated failures (django-axes, see sscard/accounts/lockout.py): an account is locked for one
# client (address) after SSCARD_LOGIN_FAILURE_LIMIT failures from that client, so a stranger who knows a
# citizen's phone cannot lock the citizen out; and for everyone after SSCARD_LOGIN_ACCOUNT_FAILURE_LIMIT
# failures from all clients together (a guessing attack spread over many addresses).
AXES_FAILURE_LIMIT = int(os.environ.get("SSCARD_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("SSCARD_LOGIN_ACCOUNT_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = float(os.environ.get("SSCARD_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "sscard.accounts.lockout.AccountAndClientHandler"
AXES_CLIENT_IP_CALLABLE = "sscard.accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sscard.accounts.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "identifier"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "sscard.accounts.selectors.lockout_key"
AXES_SENSITIVE_PARAMETERS = ["username", "identifier", "phone", "code", "ip_address"]

# SMS codes (sscard/accounts/smscodes.py). Besides the limits per phone (one a minute, ten a day), codes sent
# at the request of one client (address), and codes sent by the whole site, are limited per window, so that
# nobody can make the service send codes to any number of phones (SMS pumping).
SMS_CODE_CLIENT_LIMIT = int(os.environ.get("SSCARD_SMS_CODE_CLIENT_LIMIT", "10"))
SMS_CODE_CLIENT_WINDOW_SECONDS = int(os.environ.get("SSCARD_SMS_CODE_CLIENT_WINDOW_SECONDS", "3600"))
SMS_CODE_SITE_LIMIT = int(os.environ.get("SSCARD_SMS_CODE_SITE_LIMIT", "3000"))
SMS_CODE_SITE_WINDOW_SECONDS = int(os.environ.get("SSCARD_SMS_CODE_SITE_WINDOW_SECONDS", "3600"))
# Failed password resets (wrong or expired code), counted per phone number and per client.
PASSWORD_RESET_PHONE_FAILURE_LIMIT = int(os.environ.get("SSCARD_PASSWORD_RESET_PHONE_FAILURE_LIMIT", "10"))
PASSWORD_RESET_CLIENT_FAILURE_LIMIT = int(os.environ.get("SSCARD_PASSWORD_RESET_CLIENT_FAILURE_LIMIT", "20"))
PASSWORD_RESET_FAILURE_WINDOW_SECONDS = int(os.environ.get("SSCARD_PASSWORD_RESET_FAILURE_WINDOW_SECONDS", "3600"))

# Staff need a TOTP second factor in production.
STAFF_OTP_REQUIRED = env_bool("SSCARD_STAFF_OTP", not DEBUG)
# The admin never shows a staff member's TOTP secret (key, QR code) once the device exists: whoever saw it
# could pass as that person's second factor. Devices are enrolled with `manage.py create_staff`.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Security -------------------------------------------------------------------------------------
HTTPS = env_bool("SSCARD_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_INACTIVITY_SECONDS = int(os.environ.get("SSCARD_SESSION_IDLE_SECONDS", "1800"))
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_SSL_REDIRECT = env_bool("SSCARD_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Languages ------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("es", "Español"), ("en", "English")]
# Reference data in the reader's language (bank and outlet names, addresses, opening hours): an empty
# translation falls back to English, then to Chinese, which every row has.
MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "zh-hans"), "zh-hans": ("zh-hans",)}
LOCALE_PATHS = [BASE_DIR / "sscard" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "private"  # uploaded files are private: never served by a public URL
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Gateways -------------------------------------------------------------------------------------
SMS_GATEWAY = os.environ.get("SSCARD_SMS_GATEWAY", "outbox")
SMS_HTTP_URL = os.environ.get("SSCARD_SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SSCARD_SMS_HTTP_TOKEN", "")
# Bank pre-opening adapters (sscard/casework/banks/): which partner bank (by code) uses which adapter, e.g.
# "icbc=file_exchange,boc=file_exchange"; a bank not listed uses the CSV file exchange (`file_exchange`).
BANK_ADAPTERS = env_mapping("SSCARD_BANK_ADAPTERS")
# Card events for the banks (sscard/cards/bank_events/, docs/formats.md "Bank card events"): which bank (by
# code) uses which adapter ("icbc=http,boc=file_exchange"; default: the file exchange), each http bank's base
# URL and shared HMAC secret (kept outside the code), and after how many failed attempts an event is given up
# and shown to staff as failed (0: retried forever, at most hourly).
BANK_EVENT_ADAPTERS = env_mapping("SSCARD_BANK_EVENT_ADAPTERS")
BANK_EVENT_URLS = env_mapping("SSCARD_BANK_EVENT_URLS")
BANK_EVENT_SECRETS = env_mapping("SSCARD_BANK_EVENT_SECRETS")
BANK_EVENT_MAX_ATTEMPTS = int(os.environ.get("SSCARD_BANK_EVENT_MAX_ATTEMPTS", "72"))
BANK_EVENT_TIMEOUT_S = float(os.environ.get("SSCARD_BANK_EVENT_TIMEOUT", "10"))
# Payment gateway for the fees of replacement and renewal applications (sscard/applications/payments/):
# "counter" (paid at a service outlet, recorded by a clerk) or "http" (the generic HTTP gateway of
# docs/formats.md, "Payment gateway (generic HTTP)": its URL, merchant id and shared HMAC secret).
PAYMENT_GATEWAY = os.environ.get("SSCARD_PAYMENT_GATEWAY", "counter")
PAYMENT_HTTP_URL = os.environ.get("SSCARD_PAYMENT_HTTP_URL", "")
PAYMENT_HTTP_MERCHANT = os.environ.get("SSCARD_PAYMENT_HTTP_MERCHANT", "")
PAYMENT_HTTP_SECRET = os.environ.get("SSCARD_PAYMENT_HTTP_SECRET", "")
IDENTITY_PROVIDER = os.environ.get("SSCARD_IDENTITY_PROVIDER", "rules")
# The `rules` provider checks only the shape of an ID number, not that the name belongs to it: anyone can
# register a real person's ID number (and block that person's account and card). With debug off the system
# check accounts.E002 refuses it unless this says it was chosen knowingly (docs/deploy.md, "Identity").
ACCEPT_UNVERIFIED_IDENTITY = env_bool("SSCARD_ACCEPT_UNVERIFIED_IDENTITY", False)

# Version of the terms and privacy notice a registrant accepts.
TERMS_VERSION = "2026-11"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SSCARD_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "ERROR"}},  # axes would log the identifier (personal data)
}

PORTAL_NAME = _("Hubei Government Services Network")

# --- Operations: logs, metrics, background tasks (sscard.ops, sscard.celery; see docs/deploy.md) ------
from sscard.ops.logs import configure as _configure_logging  # noqa: E402 - no Django import inside

LOGGING = _configure_logging(LOGGING, log_format=os.environ.get("SSCARD_LOG_FORMAT", "plain"))
ACCESS_LOG = env_bool("SSCARD_ACCESS_LOG", True)
METRICS_TOKEN = os.environ.get("SSCARD_METRICS_TOKEN", "")
BENCH_ENDPOINTS = env_bool("SSCARD_BENCH", False)  # /bench/ceiling, for `make bench` only

_broker_url = os.environ.get("SSCARD_CELERY_BROKER_URL", "") or REDIS_URL
# Without a broker (the embedded default) tasks run in-process, in the request that queued them.
CELERY_TASK_ALWAYS_EAGER = env_bool("SSCARD_CELERY_EAGER", not _broker_url)
CELERY_BROKER_URL = _broker_url or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False  # a failed delivery stays in the outbox; it must not fail the request
CELERY_TASK_IGNORE_RESULT = True  # outcomes are recorded in our own tables, not in a result backend
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"sscard.notify.*": {"queue": "notify"}, "sscard.accounts.send_code": {"queue": "notify"},
                      "sscard.*.render_*": {"queue": "documents"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_timeout": 5, "socket_connect_timeout": 5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep our JSON / masked logging in workers
CELERY_TIMEZONE = TIME_ZONE
from celery.schedules import crontab as _crontab  # noqa: E402

CELERY_BEAT_SCHEDULE: dict = {
    # The outbox sweeper (docs/deploy.md, "Outbox"): re-queues messages whose task was lost.
    "notify-sweep-outbox": {"task": "sscard.notify.sweep_outbox", "schedule": 60.0,
                            "options": {"expires": 55}},  # no pile-up while workers are down
    # Seals the access log (public look-ups) into the audit chain (docs/architecture.md, "Audit").
    "audit-seal-access": {"task": "sscard.audit.seal_access_events", "schedule": 60.0, "options": {"expires": 55}},
    # Deletes uploaded photo originals kept longer than their retention (docs/photos.md).
    "applications-purge-photo-originals": {"task": "sscard.applications.purge_photo_originals",
                                           "schedule": 3600.0, "options": {"expires": 3300}},
    # Temporary loss reports lapse after ServiceSettings.temporary_loss_days (sscard/cards/loss.py).
    "cards-lapse-temporary-losses": {"task": "sscard.cards.lapse_temporary_losses", "schedule": 3600.0,
                                     "options": {"expires": 3300}},
    # Active cards past their expiry date become expired (sscard/cards/expiry.py): daily just after midnight
    # (CELERY_TIMEZONE), idempotent.
    "cards-expire-cards": {"task": "sscard.cards.expire_cards", "schedule": _crontab(minute=5, hour=0),
                           "options": {"expires": 82800}},
    # Card events for the banks (sscard/cards/bank_outbox.py): pushes due events to the http banks.
    "cards-sweep-bank-events": {"task": "sscard.cards.sweep_bank_events", "schedule": 60.0,
                                "options": {"expires": 55}},
    # The daily freeze reconciliation with every http bank (sscard/cards/bank_reconciliation.py).
    "cards-reconcile-banks": {"task": "sscard.cards.reconcile_banks", "schedule": 86400.0,
                              "options": {"expires": 82800}},
    # Open contribution bills past their due date fall into arrears (sscard/records/payments.py): daily just after
    # midnight, idempotent.
    "records-mark-arrears": {"task": "sscard.records.mark_arrears", "schedule": _crontab(minute=15, hour=0),
                             "options": {"expires": 82800}},
}

# Electronic card tokens (sscard.cards.ecard_keys, docs/formats.md). The signing key: an Ed25519 private key
# as PEM (PKCS#8) in the file SSCARD_ECARD_KEY_FILE, else generated once into var/ecard_key.pem (development
# and tests; never committed). Its key id is derived from the public key unless SSCARD_ECARD_KID names one.
# SSCARD_ECARD_EXTRA_KEYS: a JWK set file of public keys still accepted and published (keys being rotated out).
ECARD_KEY_FILE = Path(os.environ.get("SSCARD_ECARD_KEY_FILE", VAR_DIR / "ecard_key.pem"))
ECARD_KEY_FILE_CONFIGURED = bool(os.environ.get("SSCARD_ECARD_KEY_FILE"))  # deploy check cards.W001
ECARD_KID = os.environ.get("SSCARD_ECARD_KID", "")
ECARD_EXTRA_KEYS_FILE = os.environ.get("SSCARD_ECARD_EXTRA_KEYS", "")
ECARD_ISSUER = os.environ.get("SSCARD_ECARD_ISSUER", "sscard")

# Yearly statements (sscard.records.statements, docs/records.md "The yearly statement", docs/formats.md "Yearly
# statement verification code"): their own Ed25519 signing key, SSCARD_STATEMENT_KEY_FILE (PEM; else generated once
# into var/statement_key.pem), SSCARD_STATEMENT_EXTRA_KEYS (JWK set of retired public keys still accepted: a
# statement is shown for years). The public verification page: checks per client a minute; persons a batch chunk.
STATEMENT_KEY_FILE = Path(os.environ.get("SSCARD_STATEMENT_KEY_FILE", VAR_DIR / "statement_key.pem"))
STATEMENT_EXTRA_KEYS_FILE = os.environ.get("SSCARD_STATEMENT_EXTRA_KEYS", "")
STATEMENT_VERIFY_PER_MINUTE = int(os.environ.get("SSCARD_STATEMENT_VERIFY_PER_MINUTE", "30"))
STATEMENT_CHUNK_SIZE = int(os.environ.get("SSCARD_STATEMENT_CHUNK_SIZE", "500"))

# The social security PIN (sscard.cards.pin, sscard.cards.pin_keys). PINs are stored as HMAC-SHA256 digests keyed
# with a secret held outside the database, so a database dump alone does not reveal them (10^6 candidates are
# nothing to a plain hash). SSCARD_PIN_KEYS: key id -> key, `id=key,id=key` (keys of 32 characters or more, no
# commas: e.g. `openssl rand -base64 32`); SSCARD_PIN_KEY_ID: the key id for new digests (may be left out when
# there is one key). Digests keep their key id: a retired key stays listed until every PIN digested with it has
# been checked once (re-digested then with the current key) or reset. Without keys, development and tests use a
# key derived from SECRET_KEY (key id "dev-derived-from-secret-key"); `check --deploy` warns (cards.W020).
PIN_KEYS = env_mapping("SSCARD_PIN_KEYS")
PIN_KEY_ID = os.environ.get("SSCARD_PIN_KEY_ID", "")
# The manufacturer's initial PIN: a card enabled at the counter without the holder choosing a PIN, or whose PIN a
# clerk reset, has it (and `is_initial`); such a card cannot be reported lost online.
INITIAL_PIN = os.environ.get("SSCARD_INITIAL_PIN", "123456")
# The online status check (public API, cards.ecards.online_status): requests per client a minute.
ECARD_STATUS_PER_MINUTE = int(os.environ.get("SSCARD_ECARD_STATUS_PER_MINUTE", "600"))
# Transit hot list (sscard.cards.hotlist, docs/formats.md "Transit hot list"). Its own signing key, set up as the
# e-card's: SSCARD_HOTLIST_KEY_FILE (Ed25519 PEM; else generated once into var/hotlist_key.pem), SSCARD_HOTLIST_KID,
# SSCARD_HOTLIST_EXTRA_KEYS (JWK set of retired public keys still published). Deltas are answered for changes of
# the last SSCARD_HOTLIST_DELTA_DAYS days; each operator may ask SSCARD_HOTLIST_REQUESTS_PER_MINUTE times a minute.
HOTLIST_KEY_FILE = Path(os.environ.get("SSCARD_HOTLIST_KEY_FILE", VAR_DIR / "hotlist_key.pem"))
HOTLIST_KEY_FILE_CONFIGURED = bool(os.environ.get("SSCARD_HOTLIST_KEY_FILE"))  # deploy check cards.W002
HOTLIST_KID = os.environ.get("SSCARD_HOTLIST_KID", "")
HOTLIST_EXTRA_KEYS_FILE = os.environ.get("SSCARD_HOTLIST_EXTRA_KEYS", "")
HOTLIST_DELTA_DAYS = int(os.environ.get("SSCARD_HOTLIST_DELTA_DAYS", "30"))
HOTLIST_REQUESTS_PER_MINUTE = int(os.environ.get("SSCARD_HOTLIST_REQUESTS_PER_MINUTE", "60"))
# Settlement API (docs/settlement.md): requests per institution a minute; the reconciliation detail (3202) may be
# larger than DATA_UPLOAD_MAX_MEMORY_SIZE (a day of 100,000 settlements is ~10 MB of JSON): up to this many bytes.
SETTLEMENT_REQUESTS_PER_MINUTE = int(os.environ.get("SSCARD_SETTLEMENT_REQUESTS_PER_MINUTE", "6000"))
SETTLEMENT_DETAIL_MAX_BYTES = int(os.environ.get("SSCARD_SETTLEMENT_DETAIL_MAX_BYTES", str(32 * 1024 * 1024)))

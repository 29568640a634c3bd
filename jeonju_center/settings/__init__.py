"""Settings for the Jeonju Urban Innovation Center portal, read from the environment (12-factor).

``DJANGO_ENV`` picks the mode:

* ``development`` (default): DEBUG on, an embedded SQLite file when ``DATABASE_URL`` is unset,
  e-mail printed to the console, Celery tasks run inline when ``CELERY_BROKER_URL`` is unset.
* ``production``: refuses to start unless ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``
  are set to real values; HTTPS-only cookies, HSTS and the rest of Django's deployment checklist.

See ``.env.example`` for every variable.
"""

import os
import re
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file), overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"


def _require_in_production(name, value, *, invalid=lambda value: not value):
    if PRODUCTION and invalid(value):
        raise ImproperlyConfigured(f"{name} must be set to a real value when DJANGO_ENV=production.")
    return value


_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = _require_in_production(
    "SECRET_KEY",
    env.str("SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET_KEY),
    invalid=lambda key: len(key) < 50 or key.startswith("django-insecure") or len(set(key)) < 5,
)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

ALLOWED_HOSTS = _require_in_production(
    "ALLOWED_HOSTS",
    env.list(
        "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
    ),
    invalid=lambda hosts: not hosts or "*" in hosts,
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    "jeonju_center.common.admin_site.PortalAdminConfig",  # django.contrib.admin, its site built per role
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # OpClass in index expressions (the trigram indexes) and the PostgreSQL lookups; harmless on SQLite.
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    # Kakao and Naver login; a provider's button appears only when its client id and secret are set.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.kakao",
    "allauth.socialaccount.providers.naver",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework_api_key",
    # Login lockout after repeated failures (admin and citizen logins) and the Content-Security-Policy.
    "axes",
    "csp",
    # Two-factor sign-in (TOTP, recovery codes) for staff who can see personal data unmasked.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Cross-cutting apps of the project package.
    "jeonju_center.common",
    "jeonju_center.accounts",
    "jeonju_center.partners",
    "jeonju_center.demo",
    "jeonju_center.news",
    "import_export",
    # Who changed what, when and why, for every domain model (shown in the admin).
    "simple_history",
    # Domain apps.
    "social_economy",
    "ondure",
    "regeneration",
    "calls",
    "courses",
    "spaces",
    "jeonju_center.inquiries",
    # Searches every app's public content, so it depends on all of them and nothing depends on it.
    "jeonju_center.search",
    # Wires the partner API's change feed to the domain models, so it comes after them.
    "jeonju_center.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response (policy below; admin/API additions in common/security.py).
    "jeonju_center.common.security.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jeonju_center.common.middleware.KoreanFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on GET responses and 304 for a matching If-None-Match (cheap for partners that poll).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Public pages and the API read from the replica when there is one; read-your-writes (common/db_routing.py).
    "jeonju_center.common.db_routing.ReplicaReadsMiddleware",
    # request.user.is_verified(): whether this session passed the second factor; staff who need it reach no
    # back-office page before they did (jeonju_center/common/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "jeonju_center.common.two_factor.TwoFactorRequiredMiddleware",
    # no-store on personal pages (after ConditionalGet in the response order: no ETag on them either),
    # Permissions-Policy, the staff session's idle timeout.
    "jeonju_center.common.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Records the signed-in user on history rows written outside the admin (views, services).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a login refused by the lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jeonju_center.urls"
WSGI_APPLICATION = "jeonju_center.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django 6 behaviour now: a URL typed without a scheme in a form is taken as https://.
FORMS_URLFIELD_ASSUME_HTTPS = True

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------


def sqlite_options(*, lock_timeout_ms):
    return {
        "timeout": lock_timeout_ms / 1000,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }


DATABASE_URL = _require_in_production("DATABASE_URL", env.str("DATABASE_URL", default=""))
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60 if PRODUCTION else 0))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A request waiting on a row lock answers "try again" instead of hanging a worker. An explicit options
    # string replaces libpq's PGOPTIONS, so what the environment asks for there is kept after it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options",
        f"-c lock_timeout={env.int('DB_LOCK_TIMEOUT_MS', default=5000)} {env.str('PGOPTIONS', default='')}".strip(),
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database of `make run`: a write transaction takes the write lock when it begins
    # (IMMEDIATE), so two requests at once (a double-clicked button) queue for up to the lock timeout instead
    # of failing at once with "database is locked"; readers are not blocked by a writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        sqlite_options(lock_timeout_ms=env.int("DB_LOCK_TIMEOUT_MS", default=5000))
    )

# --- Read replica and connection pooler --------------------------------------------------------
# DATABASE_REPLICA_URL: a streaming standby of DATABASE_URL; public pages and the API read from it (the rules:
# jeonju_center/common/db_routing.py). Tests see it as the default database (MIRROR) unless a test makes its own.
# DATABASE_POOLER=pgbouncer: the URLs point at PgBouncer in transaction mode (jeonju_center/common/pooler.py).
DB_LOCK_TIMEOUT_MS = env.int("DB_LOCK_TIMEOUT_MS", default=5000)
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASE_REPLICA_READ_YOUR_WRITES_SECONDS = env.int("DATABASE_REPLICA_READ_YOUR_WRITES_SECONDS", default=10)
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
if DATABASE_POOLER not in {"", "pgbouncer"}:
    raise ImproperlyConfigured(f"DATABASE_POOLER must be 'pgbouncer' or empty, not {DATABASE_POOLER!r}.")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **DATABASES["default"],
        **env.db_url_config(DATABASE_REPLICA_URL),
        "TEST": {"MIRROR": "default"},
    }
if DATABASE_POOLER:
    for _alias in DATABASES.values():
        # PgBouncer does not forward startup options: the lock timeout is SET LOCAL per transaction instead.
        _alias.get("OPTIONS", {}).pop("options", None)
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASE_ROUTERS = ["jeonju_center.common.db_routing.PrimaryReplicaRouter"]

# --- Cache --------------------------------------------------------------------------------------

LOCAL_PAGE_CACHE = "local-pages"
# A back-office list drawn once is kept, and served again while the tables it was drawn from are unchanged
# (jeonju_center/common/changelist_cache.py; PostgreSQL only). false draws every list on every request.
BACKOFFICE_KEEP_LISTS = env.bool("BACKOFFICE_KEEP_LISTS", default=True)

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # Each process's own copy of the API answers it served lately (jeonju_center/api/views.py). Their keys name
    # one version of the committed data, so a copy is never stale; up to 64 answers (at most ~16 MB per process).
    LOCAL_PAGE_CACHE: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "api-pages",
        "OPTIONS": {"MAX_ENTRIES": 64},
    },
}

# --- Passwords and authentication -------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password is checked (every login passes the request).
    "jeonju_center.common.security.PortalLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Citizens sign in with their e-mail address through django-allauth; staff use the admin's own login.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# Every allauth e-mail goes through the outbox (jeonju_center/accounts/adapter.py).
ACCOUNT_ADAPTER = "jeonju_center.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "jeonju_center.accounts.forms.CitizenSignupForm"
ACCOUNT_FORMS = {"login": "jeonju_center.accounts.login_form.CitizenLoginForm"}
# Kakao and Naver login (DESIGN.md §4a). The first login shows the sign-up form with the same terms, privacy
# consent and age confirmation as an e-mail sign-up (no automatic sign-up); a provider's verified e-mail that
# an account already has signs in to that account instead of creating a second one.
SOCIALACCOUNT_PROVIDERS = {
    provider: {"APPS": [{"client_id": client_id, "secret": secret, "name": label}]}
    for provider, client_id, secret, label in (
        ("kakao", env.str("KAKAO_CLIENT_ID", default=""), env.str("KAKAO_SECRET", default=""), "카카오"),
        ("naver", env.str("NAVER_CLIENT_ID", default=""), env.str("NAVER_SECRET", default=""), "네이버"),
    )
    if client_id and secret
}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False  # the portal calls no Kakao/Naver API after the login
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[전주도시혁신센터] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# The staff back office's address (no leading slash, one trailing slash); moving it off "admin/" keeps
# the login page out of reach of scanners that try every site's /admin/.
_TAKEN_URL_PREFIXES = {"about", "accounts", "api", "calls", "courses", "healthz", "i18n", "inquiries", "library", "me", "media",
                       "news", "newsletter", "notices", "faq", "ondure", "privacy", "regeneration", "search",
                       "social-economy", "spaces", "static", "terms"}  # fmt: skip


def checked_admin_url(value):
    if (
        not re.fullmatch(r"(?:[A-Za-z0-9][A-Za-z0-9._~-]*/)+", value)
        or value.split("/")[0] in _TAKEN_URL_PREFIXES
    ):
        raise ImproperlyConfigured(
            "ADMIN_URL must be a path like 'admin/' or 'office-7f3k/' (letters, digits, ._~-, ending in '/') "
            f"that no public page uses, not {value!r}."
        )
    return value


ADMIN_URL = checked_admin_url(env.str("ADMIN_URL", default="admin/"))
# The public address of the portal, for links in e-mails and calendar feeds (no trailing slash).
# Links in e-mails are always absolute: in production, unless PORTAL_URL says otherwise, the first host the portal
# serves (ALLOWED_HOSTS) over https.
_FIRST_HOST = next((host.lstrip(".") for host in ALLOWED_HOSTS if host not in ("*", "")), "")
PORTAL_URL = env.str(
    "PORTAL_URL",
    default=(f"https://{_FIRST_HOST}" if _FIRST_HOST else "") if PRODUCTION else "http://127.0.0.1:8000",
)
# Map tiles of the public vacant-house map (loaded by the visitor's browser).
REGENERATION_MAP_TILE_URL = env.str(
    "REGENERATION_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
REGENERATION_MAP_TILE_ATTRIBUTION = env.str(
    "REGENERATION_MAP_TILE_ATTRIBUTION", default="&copy; OpenStreetMap contributors"
)
# The issuer shown in authenticator apps next to a staff member's two-factor entry.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="전주도시혁신센터")
# Least hours between two reminder rounds of one product survey (전수조사 독려 메일).
SURVEY_REMINDER_INTERVAL_HOURS = env.int("SURVEY_REMINDER_INTERVAL_HOURS", default=24)
# Hours before a course's first session when the reminder e-mail goes out.
COURSE_REMINDER_HOURS = env.int("COURSE_REMINDER_HOURS", default=24)
# Working days (weekends and Korean public holidays excluded) to answer a 1:1 inquiry, from the day after it came.
INQUIRY_ANSWER_WORKING_DAYS = env.int("INQUIRY_ANSWER_WORKING_DAYS", default=7)
# The version of the personal-data terms (개인정보 수집·이용 동의) citizens agree to; bump it when the text changes.
PRIVACY_TERMS_VERSION = env.str("PRIVACY_TERMS_VERSION", default="2026-12-04")

# The center as the footer, the 센터 소개 page and the privacy policy show it (empty = not shown). The privacy
# officer (개인정보 보호책임자, 개인정보 보호법 §31) is who citizens write to about their data; unset, the
# center's own telephone and e-mail are shown.
CENTER_CONTACT = {
    key: value
    for key, value in {
        "name": env.str("CENTER_NAME", default=""),
        "address": env.str("CENTER_ADDRESS", default=""),
        "phone": env.str("CENTER_PHONE", default=""),
        "email": env.str("CENTER_EMAIL", default=""),
        "hours": env.str("CENTER_HOURS", default=""),
    }.items()
    if value
}
PRIVACY_OFFICER = {
    "name": env.str("PRIVACY_OFFICER_NAME", default=""),
    "title": env.str("PRIVACY_OFFICER_TITLE", default=""),
    "phone": env.str("PRIVACY_OFFICER_PHONE", default=""),
    "email": env.str("PRIVACY_OFFICER_EMAIL", default=""),
}
# Companies the center entrusts with processing personal data (개인정보 처리 위탁, §26), shown in the privacy
# policy: "company=task" pairs separated by ";", e.g. "○○클라우드=서버 운영;△△메일=이메일 발송".
PRIVACY_PROCESSORS = [
    tuple(part.strip() for part in item.split("=", 1))
    for item in env.str("PRIVACY_PROCESSORS", default="").split(";")
    if "=" in item
]

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Upload folders anyone may download (public pictures). Everything else (owner consents, support evidence, minutes'
# attachments) is handed out only by the portal's own views, after their permission check and access log.
# deploy/nginx.conf serves exactly these folders in production (a test compares the two lists); in development
# runserver serves the same ones and no others.
PUBLIC_MEDIA_FOLDERS = ("courses", "news", "social_economy/products", "regeneration/houses", "spaces")
STORAGES = {
    # Uploads: "default" is private, "public" holds the pictures of public pages (jeonju_center/common/storage.py).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Uploads on object storage -------------------------------------------------------------------
# With S3_BUCKET set, uploads go to S3-compatible object storage (NCloud Object Storage, MinIO, AWS) instead of
# MEDIA_ROOT, so web and worker processes on any number of hosts share them. Private files (the "default"
# storage) are private objects handed out only by the portal's permission-checked views, as a redirect to a
# signed URL valid PRIVATE_FILE_URL_SECONDS; public pictures are public-read objects in S3_PUBLIC_BUCKET (or
# under public/ in S3_BUCKET). S3_ENDPOINT_URL must be reachable by the servers and by visitors' browsers
# (signed URLs point at it); S3_PUBLIC_BASE_URL is where browsers fetch public pictures (a CDN, or the
# endpoint with the bucket), by default the endpoint's own URL of the object.
PRIVATE_FILE_URL_SECONDS = env.int("PRIVATE_FILE_URL_SECONDS", default=300)
S3_BUCKET = env.str("S3_BUCKET", default="")
# Origins pictures come from besides the portal (added to the CSP's img-src below).
S3_IMAGE_ORIGINS = []
if S3_BUCKET:
    _s3_options = {
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        # Path-style URLs (endpoint/bucket/key) work with every S3-compatible store, MinIO included.
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
        # Two uploads with the same name never replace each other's file.
        "file_overwrite": False,
    }
    _public_bucket = env.str("S3_PUBLIC_BUCKET", default="")
    _public_base_url = env.str("S3_PUBLIC_BASE_URL", default="").rstrip("/")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_options,
            "bucket_name": S3_BUCKET,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": PRIVATE_FILE_URL_SECONDS,
        },
    }
    STORAGES["public"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_options,
            "bucket_name": _public_bucket or S3_BUCKET,
            "location": "" if _public_bucket else "public",
            "default_acl": "public-read",
            "querystring_auth": False,
            **(
                {
                    "custom_domain": _public_base_url.split("://", 1)[-1],
                    "url_protocol": _public_base_url.split("://", 1)[0] + ":",
                }
                if _public_base_url
                else {}
            ),
        },
    }
    S3_IMAGE_ORIGINS = [
        "/".join(url.split("/", 3)[:3]) for url in (_s3_options["endpoint_url"], _public_base_url) if url
    ]

# --- E-mail -------------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25" if PRODUCTION else "consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="전주도시혁신센터 <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- KakaoTalk 알림톡 and SMS ----------------------------------------------------------------------

# console (development: printed), http (a provider's API in the SOLAPI v4 form), or a backend's dotted path.
MESSAGE_BACKEND = env.str("MESSAGE_BACKEND", default="console")
MESSAGE_PROVIDER_URL = env.str("MESSAGE_PROVIDER_URL", default="https://api.solapi.com")
MESSAGE_API_KEY = env.str("MESSAGE_API_KEY", default="")
MESSAGE_API_SECRET = env.str("MESSAGE_API_SECRET", default="")
# The sender number registered with the provider (발신번호 사전등록), and the center's Kakao channel (pfId).
MESSAGE_SENDER = env.str("MESSAGE_SENDER", default="")
MESSAGE_KAKAO_CHANNEL_ID = env.str("MESSAGE_KAKAO_CHANNEL_ID", default="")
# Approved 알림톡 template ids per event: MESSAGE_TEMPLATE_<EVENT>=<id>, e.g. MESSAGE_TEMPLATE_WAITLIST_PROMOTED.
# An event without one is sent as SMS/LMS.
MESSAGE_TEMPLATES = {
    name.removeprefix("MESSAGE_TEMPLATE_").lower(): env.str(name)
    for name in sorted(os.environ)
    if name.startswith("MESSAGE_TEMPLATE_")
}
# Korea-time hours between which only time-critical notices go out (the rest wait for the end hour).
MESSAGE_QUIET_HOURS = (21, 8)

# --- Celery -------------------------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# No broker: run tasks in-process so the one-command development setup needs nothing else.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# A task is acknowledged only after it ran, and re-queued if its worker dies: tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
# The one beat schedule of the project: the project's own jobs here, each app's in ``<app>/schedule.py``
# (a plain ``BEAT_SCHEDULE`` dict, imported without loading Django models).
CELERY_BEAT_SCHEDULE = {
    "record-worker-heartbeat": {
        "task": "jeonju_center.common.tasks.record_heartbeat",
        "schedule": crontab(minute="*"),
        "args": ("beat",),
    },
    "flush-outbox": {"task": "jeonju_center.common.tasks.flush_outbox", "schedule": crontab(minute="*")},
    # Personal data past its retention period is anonymised every night (see jeonju_center/common/retention.py).
    "apply-retention-policies": {
        "task": "jeonju_center.common.tasks.apply_retention_policies",
        "schedule": crontab(hour=3, minute=30),
    },
    # The privacy officer reviews last month's access log (접속기록 월 1회 이상 점검): the report goes out on the 1st.
    "send-access-log-report": {
        "task": "jeonju_center.common.tasks.send_access_log_report",
        "schedule": crontab(day_of_month=1, hour=9, minute=0),
    },
}
for _schedule in ("social_economy", "ondure", "regeneration", "courses", "calls", "jeonju_center.news"):
    CELERY_BEAT_SCHEDULE.update(import_module(f"{_schedule}.schedule").BEAT_SCHEDULE)

# Back-office Excel/CSV imports: the largest file and the most rows one import takes.
IMPORT_MAX_MB = env.int("IMPORT_MAX_MB", default=10)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)

# Retention periods of personal data in days, per policy: RETENTION_DAYS_<POLICY>=<days>, e.g.
# RETENTION_DAYS_ENROLLMENTS=1095, RETENTION_DAYS_TENANCIES=1825. Unset: the policy's default.
PERSONAL_DATA_RETENTION_DAYS = {
    name.removeprefix("RETENTION_DAYS_").lower(): env.int(name)
    for name in sorted(os.environ)
    if name.startswith("RETENTION_DAYS_")
}

# --- REST framework -----------------------------------------------------------------------------

PARTNER_API_RATE_PER_MINUTE = env.int("PARTNER_API_RATE_PER_MINUTE", default=600)
PUBLIC_API_RATE_PER_MINUTE = env.int("PUBLIC_API_RATE_PER_MINUTE", default=120)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated request gets 401 with "WWW-Authenticate: Api-Key".
        "jeonju_center.partners.authentication.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["jeonju_center.partners.permissions.PartnerScopePermission"],
    "DEFAULT_THROTTLE_CLASSES": [
        "jeonju_center.partners.throttling.PartnerKeyRateThrottle",
        "jeonju_center.partners.throttling.PublicAnonRateThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "jeonju_center.api.renderers.ExcelFriendlyCSVRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "jeonju_center.api.filters.UpdatedSinceFilter",
        "django_filters.rest_framework.DjangoFilterBackend",
        "jeonju_center.api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "jeonju_center.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "jeonju_center.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "jeonju_center.api.schema.PortalAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jeonju Urban Innovation Center partner API",
    "DESCRIPTION": "Data of the Jeonju Urban Innovation Center for partner support centers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "jeonju_center.api.schema.add_error_responses",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN on the admin's origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security -----------------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page of the portal uses (sent by common.security.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie (forms carry the token; DRF's pages read it from the page).
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# A signed-in session lasts at most this long ("remember me"; otherwise until the browser closes) ...
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 7)
SESSION_SAVE_EVERY_REQUEST = env.bool("SESSION_SAVE_EVERY_REQUEST", default=False)
# ... and a staff session ends after this many seconds without a request (개인정보의 안전성 확보조치 기준,
# 접속 시간 제한); 0 turns the idle timeout off.
STAFF_SESSION_IDLE_TIMEOUT = env.int("STAFF_SESSION_IDLE_MINUTES", default=30) * 60
# Reverse proxies in front of the portal that append to X-Forwarded-For (nginx, a load balancer): the
# client address used for the login lockout is the one the outermost of them saw. 0 = clients connect
# directly (development); never more than the proxies really there, or clients could pick their address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0)
# The same rule for allauth's rate limits and DRF's per-address throttle.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Container health checks call /healthz over plain HTTP from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"
    # "__Host-" cookies are only accepted over HTTPS, for this host and path "/": a sibling subdomain
    # cannot plant or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Login lockout (django-axes; OWASP ASVS 5.0 V6.3): after AXES_FAILURE_LIMIT failed logins with the same
# login from the same address, that pair is refused for the cool-off. Counting the pair, not the address or
# the account alone, means an attacker cannot lock a citizen out from their own device, nor a whole office
# behind one NAT address; allauth's own limits (ACCOUNT_RATE_LIMITS) cap the tries per address and per
# e-mail address across all addresses.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And one login from all addresses together (a guess spread over many addresses): PortalLockoutBackend. Staff
# unlock it in the back office (로그인 시도 list: delete the rows) or with `manage.py axes_reset_username <login>`.
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=15)
AXES_RESET_ON_SUCCESS = True
# Retrying during a lockout neither counts nor extends it, so the time on the lockout page holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "jeonju_center.common.security.lockout_response"
AXES_USERNAME_CALLABLE = "jeonju_center.common.security.login_identifier"
AXES_CLIENT_IP_CALLABLE = "jeonju_center.common.security.client_ip_address"
# Never store the typed e-mail address or the CSRF token in the attempt records' form data.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "login", "csrfmiddlewaretoken"]
ACCOUNT_RATE_LIMITS = {
    # Per address, and per e-mail address from all addresses together (a distributed guess at one account);
    # the per-e-mail limit is above axes' per-pair and per-account limits so that the lockout page, not
    # allauth's short message, is what a person who mistyped their password sees.
    "login_failed": f"10/m/ip,{AXES_FAILURE_LIMIT * 4}/{int(AXES_COOLOFF_TIME.total_seconds())}s/key",
}

# Content-Security-Policy (django-csp 4). Public pages run scripts and styles from the portal only: no
# inline <script>, no on…= handlers, no style="" (tests/security scans the templates). The admin and the
# API's HTML pages get a few additions in common/security.py; the map tile host is added from
# REGENERATION_MAP_TILE_URL. CSP_REPORT_ONLY=true sends the same policy as report-only (for a rollout).
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", *S3_IMAGE_ORIGINS, *env.list("CSP_EXTRA_IMG_SRC", default=[])],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "upgrade-insecure-requests": PRODUCTION,
}
if env.str("CSP_REPORT_URI", default=""):
    _CSP_DIRECTIVES["report-uri"] = [env.str("CSP_REPORT_URI")]
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# --- Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Failed logins and lockouts are warnings; every successful login at INFO would drown them.
    "loggers": {"axes": {"level": "WARNING"}},
}

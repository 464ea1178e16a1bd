"""MotCua settings: one module, every deployment knob from environment variables.

See `.env.example` for each variable with its meaning. Tests override what they need in
`conftest.py`; nothing here branches on "are we testing".
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A missing SECRET_KEY is only tolerated in DEBUG (local demo); production must set one.
SECRET_KEY = env.str("SECRET_KEY", default="") or ("insecure-local-only" if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Our apps first: the first app wins when two catalogs translate the same msgid differently
    # (Django's own "version", "active", "Log out"…) and when two apps ship the same template.
    "motcua.core",
    "motcua.accounts",
    "motcua.workcalendar",
    "motcua.organizations",
    "motcua.catalog",
    "motcua.workflow",
    "motcua.dossiers",
    "motcua.documents",
    "motcua.integrations",
    "motcua.feedback",
    "motcua.metrics",
    "motcua.queueing",
    "motcua.api",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.dashboards",
    "motcua.administration",
    "motcua.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # In INSTALLED_APPS so the API docs page uses the bundled Swagger UI, not a CDN (SPEC §5.1).
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite is the embedded default so one command runs everything; production and CI use PostgreSQL.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'motcua.sqlite3'}")}
# Persistent connections took the API from ~110 to ~980 requests/s on 2 cores (SPEC §5.1).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and the worker share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="MotCua")
# National SSO (OpenID Connect, SPEC §7.1): the login button shows once the issuer URL is set.
OIDC_PROVIDER_URL = env.str("OIDC_PROVIDER_URL", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="motcua")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_SCOPES = env.str("OIDC_SCOPES", default="openid profile email phone")
OIDC_ID_NUMBER_CLAIM = env.str("OIDC_ID_NUMBER_CLAIM", default="id_number")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
WHITENOISE_USE_FINDERS = True

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="motcua@localhost")

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- MotCua domain settings -------------------------------------------------------------------
# The province this installation serves: its QCVN 102 letter+digits code (e.g. H56) and office hours.
MOTCUA_PROVINCE_CODE = env.str("MOTCUA_PROVINCE_CODE", default="H99")
MOTCUA_OFFICE_HOURS = env.str("MOTCUA_OFFICE_HOURS", default="07:00-11:30,13:30-17:00")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- Documents: storage, upload limits, signing (motcua.documents) ----------------------------
# STORAGE_URL picks the file store: empty = local disk under MEDIA_ROOT; "s3://bucket?endpoint_url=…&region=…"
# = S3-compatible object storage through django-storages (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
STORAGE_URL = env.str("STORAGE_URL", default="")
if STORAGE_URL.startswith("s3://"):
    from urllib.parse import parse_qs, urlsplit

    _s3 = urlsplit(STORAGE_URL)
    _s3_query = {key: values[-1] for key, values in parse_qs(_s3.query).items()}
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3.netloc,
            "location": _s3.path.strip("/"),
            "endpoint_url": _s3_query.get("endpoint_url"),
            "region_name": _s3_query.get("region"),
            # Content-addressed keys never change meaning, so an existing object is never rewritten.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
DOCUMENTS_MAX_UPLOAD_BYTES = env.int("DOCUMENTS_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
DOCUMENTS_MAX_PAGES = env.int("DOCUMENTS_MAX_PAGES", default=200)
DOCUMENTS_MAX_IMAGE_PIXELS = env.int("DOCUMENTS_MAX_IMAGE_PIXELS", default=100_000_000)
DOCUMENTS_MAX_PDF_DECODED_BYTES = env.int("DOCUMENTS_MAX_PDF_DECODED_BYTES", default=512 * 1024 * 1024)
# PEM files of the CAs whose signatures verify as trusted; `create_dev_pki` writes var/pki/root-ca.pem.
DOCUMENTS_TRUST_ROOTS = env.list("DOCUMENTS_TRUST_ROOTS", default=[str(BASE_DIR / "var" / "pki" / "root-ca.pem")])
DOCUMENTS_PKI_DIR = env.path("DOCUMENTS_PKI_DIR", default=BASE_DIR / "var" / "pki")
# Passphrase of the demo PKCS#12 files; a known default only for the local demo.
DOCUMENTS_PKI_PASSPHRASE = env.str("DOCUMENTS_PKI_PASSPHRASE", default="motcua-dev-pki" if DEBUG else "")

"""Django's own settings: the site, apps, database, accounts' hashing, static files, logging,
serving and security headers. Every value comes from dailypapers.config, which documents it."""

from __future__ import annotations

from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dailypapers.config import as_bool, as_list, env, load_or_create_secret

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = Path(
    env(
        "DAILYPAPERS_DATA_DIR",
        "var",
        "Directory for the SQLite database, collected static files and search indexes.",
    )
)

DEV_SECRET_KEY = "dev-insecure-dailypapers-key-change-me"
DEBUG = env("DEBUG", "false", "Django debug mode; never on in production.", as_bool)
SECRET_KEY = env(
    "SECRET_KEY",
    "",
    "Secret for signing cookies and tokens. Unset: a random key "
    "is generated once into DAILYPAPERS_DATA_DIR/secret_key and reused.",
)
if not SECRET_KEY:
    SECRET_KEY = load_or_create_secret(DATA_DIR / "secret_key")
if SECRET_KEY == DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY is the development key, refused when DEBUG is off.")

ALLOWED_HOSTS = env(
    "ALLOWED_HOSTS",
    "127.0.0.1,localhost,[::1],testserver",
    "Comma-separated host names the site answers to.",
    as_list,
)
CSRF_TRUSTED_ORIGINS = env(
    "CSRF_TRUSTED_ORIGINS",
    "",
    "Comma-separated origins trusted for CSRF, e.g. https://papers.example.org.",
    as_list,
)
SITE_NAME = env("SITE_NAME", "Daily Papers", "Name shown in the header and page titles.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "dailypapers.papers",
    "dailypapers.ingest",
    "dailypapers.search",
    "dailypapers.summaries",
    "dailypapers.community",
    "dailypapers.accounts",
    "dailypapers.api",
    "dailypapers.digest",
    "dailypapers.recommend",
    "dailypapers.library",
    "dailypapers.caching",
    "dailypapers.operations",
    "dailypapers.thumbnails",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dailypapers.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous reads from the page cache, before sessions are read (docs/operations.md).
    "dailypapers.caching.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dailypapers.urls"
WSGI_APPLICATION = "dailypapers.wsgi.application"

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
                "dailypapers.papers.context.site",
            ],
        },
    },
]

DATABASE_URL = env(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'dailypapers.sqlite3'}",
    "Database to use: sqlite:///path or postgresql://user:pass@host:port/name.",
)
# Connections stay open between requests (each gunicorn thread keeps its own): opening one
# per request, with SQLite's five pragmas, cost a third of a vote (docs/benchmarks.md,
# "Upvotes through the full HTTP stack"); a dead one is replaced before use.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, so psycopg prepares a statement once it has run five
    # times on a connection and PostgreSQL stops parsing and planning it per request
    # (docs/benchmarks.md, "Session 11").
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed during ingest; IMMEDIATE avoids deadlocking upgrades.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {
        "NAME": env(
            "SQLITE_TEST_NAME",
            "",
            "File for the SQLite test database (tests set it, so "
            "they run with WAL and locking as in production); empty: in memory.",
        )
        or None
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Argon2 first: new and re-hashed passwords use it; the others only check older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "papers:home"
LOGOUT_REDIRECT_URL = "papers:home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC", "Time zone used to decide which day a paper entered the feed.")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the shared layout; apps keep their own
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app directories when collectstatic has not run (tests, first start).
WHITENOISE_USE_FINDERS = True

ADMINS = [
    parseaddr(address)
    for address in env(
        "ADMINS",
        "",
        "Comma-separated addresses mailed each server error with its traceback, e.g. "
        "'Ops <ops@example.org>'; empty: errors only go to the log (stderr).",
        as_list,
    )
]
SERVER_EMAIL = env(
    "SERVER_EMAIL", "root@localhost", "Sender address of the error mails sent to ADMINS."
)
# Server errors reach stderr with their traceback whatever DEBUG says (Django's default
# logs them only in debug), and ADMINS by mail when set; see docs/operations.md, "Logs".
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {"level": "ERROR", "class": "django.utils.log.AdminEmailHandler"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "dailypapers": {
            "handlers": ["console"],
            "level": env("LOG_LEVEL", "INFO", "Log level of dailypapers' own messages."),
            "propagate": False,
        },
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}


# Serving (dailypapers serve).
WEB_WORKERS = env("WEB_WORKERS", "3", "gunicorn worker processes for `dailypapers serve`.", int)
WEB_THREADS = env("WEB_THREADS", "2", "Threads per gunicorn worker.", int)
WEB_KEEPALIVE_SECONDS = env(
    "WEB_KEEPALIVE_SECONDS",
    "0",
    "Seconds gunicorn keeps an idle client connection open for its next request; 0: one "
    "request a connection, so each request goes to a free worker (docs/operations.md).",
    int,
)
FORWARDED_ALLOW_IPS = env(
    "FORWARDED_ALLOW_IPS", "127.0.0.1", "Proxies whose X-Forwarded-* headers gunicorn trusts."
)

# Production hardening; see docs/operations.md.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
HTTPS = env("HTTPS", "false", "Set when served behind HTTPS: secure cookies and HSTS.", as_bool)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# No inline scripts anywhere (base.html); styles keep unsafe-inline because KaTeX writes style
# attributes (the colour of TeX it cannot parse, some MathML).
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
    "Content-Security-Policy header sent with every response; empty: none.",
)
PERMISSIONS_POLICY = env(
    "PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Permissions-Policy header sent with every response: browser features the site never "
    "uses, switched off; empty: none.",
)

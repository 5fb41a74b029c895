"""Django settings: every value comes from dailypapers.config, which documents it."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dailypapers.config import as_bool, as_list, env, load_or_create_secret

PACKAGE_DIR = Path(__file__).resolve().parent
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
    "dailypapers.community",
    "dailypapers.accounts",
    "dailypapers.api",
    "dailypapers.digest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dailypapers.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "dailypapers": {
            "handlers": ["console"],
            "level": env("LOG_LEVEL", "INFO", "Log level of dailypapers' own messages."),
        },
    },
}

# Ingestion: base URLs are settings so tests can point sources at a loopback server.
ARXIV_API_URL = env(
    "ARXIV_API_URL", "https://export.arxiv.org/api/query", "arXiv export API endpoint (Atom)."
)
ARXIV_RSS_URL = env(
    "ARXIV_RSS_URL",
    "https://rss.arxiv.org/atom",
    "arXiv announcement feeds base URL; the category is appended.",
)
ARXIV_OAI_URL = env("ARXIV_OAI_URL", "https://oaipmh.arxiv.org/oai", "arXiv OAI-PMH endpoint.")
HF_API_URL = env(
    "HF_API_URL", "https://huggingface.co", "Hugging Face base URL for /api/daily_papers."
)
INGEST_REQUEST_INTERVAL = env(
    "INGEST_REQUEST_INTERVAL",
    "3.0",
    "Minimum seconds between two requests to the same host (arXiv asks for 3).",
    float,
)
INGEST_MAX_RETRIES = env(
    "INGEST_MAX_RETRIES", "5", "Retries on 429/5xx before a fetch gives up.", int
)
INGEST_TIMEOUT = env("INGEST_TIMEOUT", "30", "Seconds before a source request times out.", float)
INGEST_USER_AGENT = env(
    "INGEST_USER_AGENT",
    "dailypapers/0.1 (self-hosted)",
    "User-Agent sent to arXiv and Hugging Face.",
)

# Serving (dailypapers serve).
WEB_WORKERS = env("WEB_WORKERS", "3", "gunicorn worker processes for `dailypapers serve`.", int)
WEB_THREADS = env("WEB_THREADS", "2", "Threads per gunicorn worker.", int)
FORWARDED_ALLOW_IPS = env(
    "FORWARDED_ALLOW_IPS", "127.0.0.1", "Proxies whose X-Forwarded-* headers gunicorn trusts."
)

# Reading.
FEED_PAGE_SIZE = env("FEED_PAGE_SIZE", "30", "Papers per feed page.", int)
TRENDING_WINDOW_DAYS = env(
    "TRENDING_WINDOW_DAYS",
    "7",
    "How many days of the feed the trending page ranks (see docs/ranking.md).",
    int,
)
TRENDING_GRAVITY = env(
    "TRENDING_GRAVITY",
    "1.5",
    "How fast a paper's trending score decays with age (see docs/ranking.md).",
    float,
)

# Search; see docs/search.md.
SEARCH_INDEX_DIR = env(
    "SEARCH_INDEX_DIR",
    str(DATA_DIR / "search"),
    "Directory of the lexical index and the vector snapshot.",
)
SEARCH_EMBEDDER = env(
    "SEARCH_EMBEDDER",
    "onnx",
    "Sentence embedder: onnx (all-MiniLM-L6-v2, shipped) or null (lexical search only).",
)
SEARCH_EMBED_THREADS = (
    env(
        "SEARCH_EMBED_THREADS",
        "0",
        "ONNX Runtime threads embedding papers (the indexer, evaluations); 0 means one per core.",
        int,
    )
    or None
)
SEARCH_VECTORS = env(
    "SEARCH_VECTORS",
    "database",
    "Where semantic search looks on PostgreSQL with pgvector: database (pgvector's HNSW index, "
    "shared by every process) or memory (an HNSW snapshot in each process, as on SQLite: "
    "faster, but each process holds it).",
)
if SEARCH_VECTORS not in ("database", "memory"):
    raise ImproperlyConfigured(f"SEARCH_VECTORS must be database or memory, not {SEARCH_VECTORS!r}")
SEARCH_QUERY_THREADS = (
    env(
        "SEARCH_QUERY_THREADS",
        "1",
        "ONNX Runtime threads embedding a search query in a web process (the keyword search runs "
        "beside it); 0 means one per core.",
        int,
    )
    or None
)
SEARCH_EMBED_BUDGET_MS = env(
    "SEARCH_EMBED_BUDGET_MS",
    "250",
    "Longest a query embedding may take before search answers lexically and says so.",
    float,
)
SEARCH_HNSW_EF = env(
    "SEARCH_HNSW_EF", "96", "HNSW search breadth (ef); higher is more exact and slower.", int
)
SEARCH_CANDIDATES = env(
    "SEARCH_CANDIDATES",
    "100",
    "How many results each of lexical and semantic search hands to the fusion.",
    int,
)
SEARCH_RRF_K = env(
    "SEARCH_RRF_K",
    "2",
    "The k of reciprocal rank fusion (tuned on SciFact train, docs/search.md).",
    float,
)
SEARCH_LEXICAL_WEIGHT = env(
    "SEARCH_LEXICAL_WEIGHT", "1.25", "Weight of the lexical ranking in the fusion.", float
)
SEARCH_DENSE_WEIGHT = env(
    "SEARCH_DENSE_WEIGHT", "1.0", "Weight of the semantic ranking in the fusion.", float
)
SEARCH_UPDATE_INTERVAL = env(
    "SEARCH_UPDATE_INTERVAL",
    "30",
    "Seconds between two catch-ups of the background search indexer that `serve` runs.",
    float,
)
SEARCH_PAGE_SIZE = env("SEARCH_PAGE_SIZE", "20", "Results per search page.", int)

# The JSON API and the RSS/Atom feeds; see docs/api.md.
API_READS_PER_MINUTE = env(
    "API_READS_PER_MINUTE",
    "600",
    "Most API reads (JSON and Markdown) per minute from one client address, counted by each "
    "web worker; 0: no limit.",
    int,
)
API_TOKENS_PER_MEMBER = env(
    "API_TOKENS_PER_MEMBER", "20", "Most unrevoked API tokens one member may keep.", int
)
API_FEED_ITEMS = env("API_FEED_ITEMS", "50", "Papers in each RSS or Atom feed.", int)

# Community; see docs/community.md.
SUBMIT_MAX_AGE_DAYS = env(
    "SUBMIT_MAX_AGE_DAYS",
    "14",
    "Oldest paper (days since it appeared on arXiv) a member may submit to the daily feed.",
    int,
)
SUBMIT_DAILY_LIMIT = env(
    "SUBMIT_DAILY_LIMIT", "3", "Most papers one member may submit per day.", int
)

# Accounts; see docs/operations.md, "Accounts".
LOGIN_MAX_FAILURES = env(
    "LOGIN_MAX_FAILURES",
    "5",
    "Failed logins for one username, or from one address, before further tries are refused.",
    int,
)
LOGIN_FAILURE_WINDOW = env(
    "LOGIN_FAILURE_WINDOW",
    "900",
    "Seconds a failed login counts against LOGIN_MAX_FAILURES.",
    int,
)
EMAIL_VERIFICATION_TIMEOUT = env(
    "EMAIL_VERIFICATION_TIMEOUT",
    "259200",
    "Seconds a sign-up's email confirmation link stays valid (default three days).",
    int,
)

# Outgoing mail (verification and password reset links); Django's own settings.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend",
    "How mail is sent: the SMTP backend, or django.core.mail.backends.console.EmailBackend "
    "to print messages instead (development).",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost", "SMTP server host name.")
EMAIL_PORT = env("EMAIL_PORT", "25", "SMTP server port (587 with TLS, 465 with SSL).", int)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "", "SMTP user name; empty: no authentication.")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "", "SMTP password for EMAIL_HOST_USER.")
EMAIL_USE_TLS = env(
    "EMAIL_USE_TLS", "false", "Upgrade the SMTP connection with STARTTLS (port 587).", as_bool
)
EMAIL_USE_SSL = env(
    "EMAIL_USE_SSL", "false", "Connect to SMTP over implicit TLS (port 465).", as_bool
)
EMAIL_TIMEOUT = env(
    "EMAIL_TIMEOUT", "10", "Seconds before an SMTP connection or send gives up.", float
)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL",
    "webmaster@localhost",
    "Sender address of the site's mail, e.g. Daily Papers <papers@example.org>.",
)

COLLECTIONS_PER_MEMBER = env(
    "COLLECTIONS_PER_MEMBER", "100", "Most collections one member may keep.", int
)
COMMENT_MAX_LENGTH = env("COMMENT_MAX_LENGTH", "10000", "Longest comment, in characters.", int)
# Rate limits, per member and per client address (several members may share an address);
# see docs/operations.md.
VOTES_PER_MINUTE = env("VOTES_PER_MINUTE", "60", "Most votes per minute from one member.", int)
VOTES_PER_MINUTE_PER_ADDRESS = env(
    "VOTES_PER_MINUTE_PER_ADDRESS", "300", "Most votes per minute from one client address.", int
)
COMMENTS_PER_MINUTE = env(
    "COMMENTS_PER_MINUTE", "10", "Most comments and replies per minute from one member.", int
)
COMMENTS_PER_MINUTE_PER_ADDRESS = env(
    "COMMENTS_PER_MINUTE_PER_ADDRESS",
    "30",
    "Most comments and replies per minute from one client address.",
    int,
)
SUBMISSIONS_PER_HOUR = env(
    "SUBMISSIONS_PER_HOUR", "10", "Most submission attempts per hour from one member.", int
)
SUBMISSIONS_PER_HOUR_PER_ADDRESS = env(
    "SUBMISSIONS_PER_HOUR_PER_ADDRESS",
    "30",
    "Most submission attempts per hour from one client address.",
    int,
)

# Email digests and the worker; see docs/digest.md.
DIGEST_SITE_URL = env(
    "DIGEST_SITE_URL",
    "http://127.0.0.1:8000",
    "Public address of the site, for the links in digest emails (no request to read it from).",
)
DIGEST_TOP_N = env("DIGEST_TOP_N", "10", "Trending papers of the period in each digest.", int)
DIGEST_ALERT_MAX = env(
    "DIGEST_ALERT_MAX", "20", "Most alert matches (beyond the trending ones) in one digest.", int
)
DIGEST_DAILY_SCHEDULE = env(
    "DIGEST_DAILY_SCHEDULE",
    "0 7 * * 1-5",
    "When daily digests go out, as cron fields (minute hour day month weekday) in TIME_ZONE.",
)
DIGEST_WEEKLY_SCHEDULE = env(
    "DIGEST_WEEKLY_SCHEDULE",
    "0 7 * * 1",
    "When weekly digests go out, as cron fields in TIME_ZONE (default Monday 07:00).",
)
DIGEST_CONFIRM_TIMEOUT = env(
    "DIGEST_CONFIRM_TIMEOUT",
    "259200",
    "Seconds a subscription's confirmation link stays valid (default three days).",
    int,
)
DIGEST_SUBSCRIBE_PER_HOUR_PER_EMAIL = env(
    "DIGEST_SUBSCRIBE_PER_HOUR_PER_EMAIL",
    "3",
    "Most subscribe requests (confirmation mails) per hour for one email address.",
    int,
)
DIGEST_SUBSCRIBE_PER_HOUR_PER_ADDRESS = env(
    "DIGEST_SUBSCRIBE_PER_HOUR_PER_ADDRESS",
    "10",
    "Most subscribe requests per hour from one client address.",
    int,
)
DIGEST_RETRY_BASE = env(
    "DIGEST_RETRY_BASE",
    "60",
    "Seconds before the first retry of a digest the SMTP server refused for now; doubles "
    "with each attempt.",
    float,
)
DIGEST_RETRY_MAX = env(
    "DIGEST_RETRY_MAX",
    "21600",
    "Longest wait between two retries of one digest, in seconds.",
    float,
)
DIGEST_MAX_ATTEMPTS = env(
    "DIGEST_MAX_ATTEMPTS",
    "10",
    "Attempts at one digest (temporary failures) before it is marked failed.",
    int,
)
DIGEST_MAX_PERMANENT_FAILURES = env(
    "DIGEST_MAX_PERMANENT_FAILURES",
    "3",
    "Permanent (5xx) failures in a row after which an address gets no more digests.",
    int,
)
DIGEST_INFLIGHT_TIMEOUT = env(
    "DIGEST_INFLIGHT_TIMEOUT",
    "300",
    "Seconds after which a digest left in 'sending' counts as the in-flight message of a "
    "sender that died, and is sent again with the same Message-ID.",
    float,
)
WORKER_SCHEDULE = env(
    "WORKER_SCHEDULE",
    "30 1 * * 1-5 ingest arxiv-rss cs.AI cs.CL cs.CV cs.LG; 0 * * * * ingest hf-daily; "
    "0 3 * * * ingest oai-pmh --set cs",
    "The worker's ingestion jobs: `;`-separated cron entries (5 fields in TIME_ZONE, then a "
    "dailypapers command); empty: none.",
)
WORKER_TICK = env(
    "WORKER_TICK",
    "30",
    "Seconds between two looks of `dailypapers worker` at its schedule, the search backlog "
    "and the outbox.",
    float,
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

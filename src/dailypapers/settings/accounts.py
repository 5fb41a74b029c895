"""Account and outgoing mail settings; see docs/operations.md, "Accounts"."""

from __future__ import annotations

from dailypapers.config import as_bool, env

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

# Sessions are read on every request a member makes: from the shared cache (CACHE_URL), from
# the database only on a miss; writes and logouts go to both. With CACHE_URL=locmem and
# several workers, a logout would not reach the other workers' caches: use a shared cache.
# see docs/benchmarks.md, "Upvotes through the full HTTP stack"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

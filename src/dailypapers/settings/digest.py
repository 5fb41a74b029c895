"""Email digest and worker settings; see docs/digest.md."""

from __future__ import annotations

from dailypapers.config import env

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
DIGEST_KEEP_DAYS = env(
    "DIGEST_KEEP_DAYS",
    "90",
    "Days a sent or failed digest stays in the outbox, with its record of the papers it gave "
    "(the at-most-once rule needs only the current period's: at least 31).",
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
    "0 3 * * * ingest oai-pmh --set cs; */10 * * * * thumbnails run",
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

"""Task engine settings (Huey): where the queues live and how long each kind of job may run;
see docs/tasks.md."""

from __future__ import annotations

from dailypapers.config import env
from dailypapers.settings.core import DATA_DIR, DATABASES

_DEFAULT_TASKS_URL = (
    "database"
    if DATABASES["default"]["ENGINE"].endswith("postgresql")
    else f"sqlite:///{DATA_DIR / 'tasks.sqlite3'}"
)
TASKS_URL = env(
    "TASKS_URL",
    _DEFAULT_TASKS_URL,
    "Where the task queues live: `sqlite:///path` (one machine, no extra service), `database` "
    "(the PostgreSQL of DATABASE_URL, the default there), `postgresql://...` or `redis://...`.",
)
TASKS_WORKER_QUEUES = env(
    "TASKS_WORKER_QUEUES",
    "digest,submissions,ingest,search,backfill,media",
    "The queues `dailypapers worker` consumes by default (comma-separated); `--queues` overrides.",
)
TASKS_INGEST_TIMEOUT = env(
    "TASKS_INGEST_TIMEOUT",
    "3600",
    "Seconds a scheduled ingest may run before it is stopped (and retried with backoff).",
    int,
)
TASKS_RETRIES = env(
    "TASKS_RETRIES",
    "3",
    "Times a failed job is tried again, waiting TASKS_RETRY_DELAY seconds, then twice as long.",
    int,
)
TASKS_RETRY_DELAY = env(
    "TASKS_RETRY_DELAY", "60", "Seconds before the first retry of a failed job.", int
)

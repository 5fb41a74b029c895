"""The task engine (Huey, see docs/tasks.md): one Huey queue per kind of work, all in the
storage TASKS_URL names, and the jobs registered on them from the specs in jobs.py.

A queue per kind of work is what keeps a long harvest from delaying a digest: each queue has
its own consumer processes (`dailypapers worker --queues ...`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone
from huey import Huey, MemoryHuey, PostgresHuey, RedisHuey, SqliteHuey
from huey.api import PeriodicTask, TaskWrapper

from dailypapers.operations.models import TaskRecord

# see docs/tasks.md, "Queues"
QUEUES = ("digest", "submissions", "ingest", "search", "backfill", "media")
IN_CONSUMER = False  # set in the processes `dailypapers worker` runs jobs in


class TasksConfigError(ValueError):
    """TASKS_URL or a queue name cannot be used: a sentence for the operator."""


@dataclass(frozen=True)
class JobSpec:
    """One kind of job: the plain function it runs and how the engine treats it."""

    name: str
    function: Callable[..., object]
    queue: str
    timeout: int  # seconds; the consumer stops the job after this
    retries: int = 0
    retry_delay: int = 60  # then twice as long each time
    every_tick: bool = False  # a periodic job, run every WORKER_TICK seconds
    context: bool = False  # the function gets `task=` (to tell the last attempt)

    def lease(self) -> int:
        """Seconds after which a claimed run that never finished counts as lost (its worker
        died): every attempt's timeout and every wait between them, plus a margin."""
        waits = sum(self.retry_delay * 2**n for n in range(self.retries))
        return self.timeout * (self.retries + 1) + waits + 60


@dataclass
class Engine:
    """The Huey queues of one TASKS_URL and the tasks registered on them, by job name."""

    url: str
    queues: dict[str, Huey]
    tasks: dict[str, TaskWrapper] = field(default_factory=dict)

    def enqueue(self, name: str, *args: Any) -> None:
        self.tasks[name](*args)

    def queue(self, name: str) -> Huey:
        if name not in self.queues:
            known = ", ".join(QUEUES)
            raise TasksConfigError(f"there is no queue {name!r}; the queues are {known}.")
        return self.queues[name]


def get_engine() -> Engine:
    """The engine of the current TASKS_URL, with every job of jobs.py registered."""
    return _engine_for(resolved_url())


def enqueue(name: str, *args: Any) -> None:
    """Run job `name` with `args` on its queue, as soon as a worker of that queue is free."""
    get_engine().enqueue(name, *args)


def resolved_url() -> str:
    """TASKS_URL, with `database` replaced by the PostgreSQL address Django is using."""
    url: str = settings.TASKS_URL
    if url != "database":
        return url
    config = connections["default"].settings_dict
    if connections["default"].vendor != "postgresql":
        raise TasksConfigError("TASKS_URL=database needs DATABASE_URL to be PostgreSQL.")
    user, password = config.get("USER") or "", config.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = config.get("HOST") or "localhost", config.get("PORT") or 5432
    return f"postgresql://{auth}{host}:{port}/{config['NAME']}"


_engines: dict[str, Engine] = {}  # one per TASKS_URL this process has used
_engines_lock = threading.Lock()


def _engine_for(url: str) -> Engine:
    with _engines_lock:
        if url not in _engines:
            _engines[url] = _new_engine(url)
        return _engines[url]


def close_engines() -> None:
    """Close the connections of every engine this process opened (a PostgreSQL queue holds
    one, and one more that listens for new jobs); the next use opens them again."""
    with _engines_lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        for huey in engine.queues.values():
            huey.storage.close()


def _new_engine(url: str) -> Engine:
    from dailypapers.operations.jobs import job_specs  # the jobs import feature code

    engine = Engine(url, {name: _huey(name, url) for name in QUEUES})
    for spec in job_specs():
        engine.tasks[spec.name] = _register(engine.queue(spec.queue), spec)
    for name, huey in engine.queues.items():
        huey.pre_execute("record")(functools.partial(_started, name))
        huey.post_execute("record")(_ended)
    return engine


def _started(queue: str, task: Any) -> None:
    _close_old_connections()
    if not isinstance(task, PeriodicTask):
        TaskRecord.objects.update_or_create(
            task_id=task.id,
            defaults={
                "name": task.name,
                "queue": queue,
                "state": TaskRecord.State.RUNNING,
                "started_at": timezone.now(),
                "finished_at": None,
            },
        )


def _ended(task: Any, value: object, error: BaseException | None) -> None:
    if not isinstance(task, PeriodicTask):
        if error is None:
            state, text = TaskRecord.State.DONE, ""
        else:
            final = not task.retries
            state = TaskRecord.State.FAILED if final else TaskRecord.State.RETRYING
            text = f"{type(error).__name__}: {error}"[:2000]
        TaskRecord.objects.filter(task_id=task.id).update(
            state=state, finished_at=timezone.now(), error=text
        )
    _close_old_connections()


def _close_old_connections() -> None:
    # A long-lived worker must notice a database that went away, as Django does per request;
    # jobs run inline (`worker --once`, tests) keep the caller's connection.
    if IN_CONSUMER:
        close_old_connections()


def _huey(queue: str, url: str) -> Huey:
    options: dict[str, Any] = {"results": False, "utc": True}
    if url.startswith("sqlite:///"):
        return SqliteHuey(queue, filename=url.removeprefix("sqlite:///"), **options)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresHuey(queue, dsn=url, **options)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(queue, url=url, **options)
    if url == "memory":
        return MemoryHuey(queue, **options)
    raise TasksConfigError(
        f"TASKS_URL {url!r} is not sqlite:///path, database, postgresql://..., redis://... "
        "or memory."
    )


def _register(huey: Huey, spec: JobSpec) -> TaskWrapper:
    options = {
        "name": spec.name,
        "retries": spec.retries,
        "retry_delay": spec.retry_delay,
        "retry_backoff": 2 if spec.retries else 0,
        "timeout": spec.timeout,
        "context": spec.context,
    }
    if spec.every_tick:
        return huey.periodic_task(lambda moment: True, **options)(spec.function)
    return huey.task(**options)(spec.function)


def queue_sizes() -> dict[str, tuple[int, int]]:
    """Per queue: jobs waiting to run now, and jobs waiting for a later time (retries)."""
    engine = get_engine()
    return {
        name: (huey.pending_count(), huey.scheduled_count()) for name, huey in engine.queues.items()
    }

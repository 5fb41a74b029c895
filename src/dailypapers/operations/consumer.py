"""Running the task engine's workers: one Huey consumer per queue (its own processes, so a
long harvest never holds up a digest), or every queued job here and now (`worker --once`)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import time
from typing import Any

from django.conf import settings
from django.db import connections
from huey.consumer import Consumer, Scheduler

from dailypapers.operations import engine
from dailypapers.operations.engine import QUEUES, TasksConfigError, get_engine
from dailypapers.processes import Supervised, command_argv, orphaned, stop

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def selected_queues(text: str | None, no_search: bool = False) -> list[str]:
    """The queues named in `text` (comma-separated; default TASKS_WORKER_QUEUES)."""
    names = [name.strip() for name in (text or settings.TASKS_WORKER_QUEUES).split(",")]
    names = [name for name in names if name and not (no_search and name == "search")]
    unknown = [name for name in names if name not in QUEUES]
    if unknown:
        raise TasksConfigError(
            f"there is no queue {unknown[0]!r}; the queues are {', '.join(QUEUES)}."
        )
    if not names:
        raise TasksConfigError("no queue to work on.")
    return names


def consume(queue: str, workers: int = 1) -> None:
    """Run the consumer of one queue until SIGTERM or SIGINT: worker processes (a job past
    its timeout is stopped there), and the scheduler of periodic jobs and retries."""
    huey = get_engine().queue(queue)
    engine.IN_CONSUMER = True
    _die_with_parent(signal.SIGTERM)  # a `worker` killed outright takes its consumers along
    # A `worker` that died before that request (stopped while this one started: orphans were
    # left once in CI, on a loaded machine) sends nothing: look once after asking.
    if orphaned():
        raise SystemExit(f"the `worker` that started the {queue} queue's consumer is gone")
    _children_die_with_this_process()
    connections.close_all()  # the worker processes are forked: they open their own
    consumer = _TickConsumer(huey, workers=workers, worker_type="process", periodic=True)
    consumer.run()


def _die_with_parent(signum: int) -> None:
    """Linux: get `signum` when the parent process dies, rather than run on as an orphan."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signum)
    except (OSError, AttributeError):  # not Linux: orphans stop at their next SIGTERM
        log.debug("cannot ask to die with the parent here")


def _children_die_with_this_process() -> None:
    """Every process this one forks from now on (Huey's workers and its scheduler) is killed
    when this one dies, and exits at once if this one died before it could ask (a consumer
    killed outright left its scheduler running). Forks by those children (a job's own
    processes) are left alone."""
    consumer, forker = os.getpid(), [0]

    def before() -> None:
        forker[0] = os.getpid()

    def in_child() -> None:
        if forker[0] != consumer:
            return
        _die_with_parent(signal.SIGKILL)
        if os.getppid() != consumer:
            os._exit(1)

    os.register_at_fork(before=before, after_in_child=in_child)


class _TickScheduler(Scheduler):
    """Huey looks at periodic jobs once a minute; the tick wants WORKER_TICK seconds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periodic_task_seconds = max(1, int(settings.WORKER_TICK))


class _TickConsumer(Consumer):
    scheduler_class = _TickScheduler


def consume_all(queues: list[str], workers: int) -> None:
    """One child process per queue (`dailypapers worker --queues NAME`), each started again
    when it dies, all stopped on SIGTERM."""
    argv = [
        command_argv("worker", "--queues", queue, "--workers", str(workers)) for queue in queues
    ]
    children = [Supervised(command, 1.0, 60.0) for command in argv]
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    signal.signal(signal.SIGINT, lambda signum, frame: stopping.append(signum))
    try:
        while not stopping:
            for child in children:
                child.check()
            time.sleep(0.5)
    finally:
        stop([child.process for child in children if child.process])


def drain(queues: list[str]) -> int:
    """Run every job waiting now on `queues` in this process; the number run."""
    engine = get_engine()
    count = 0
    for name in queues:
        huey = engine.queue(name)
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
            count += 1
    return count

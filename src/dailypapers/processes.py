"""Background processes the long-running commands start beside themselves: the command line
of a `dailypapers` subcommand, and a supervisor that restarts helpers that die and stops them
with the main process.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

log = logging.getLogger(__name__)
# Set in each helper's environment to its supervisor's pid: a helper whose parent is already
# another process (its supervisor died while it started) stops instead of running on.
SUPERVISOR_ENV = "DAILYPAPERS_SUPERVISOR"


def command_argv(*words: str) -> list[str]:
    """The command line of `dailypapers <words>` with this interpreter."""
    return [sys.executable, "-m", "dailypapers.cli", *words]


def supervise(
    main: list[str], helpers: list[list[str]], first_backoff: float = 1.0, max_backoff: float = 60.0
) -> int:
    """Run `main` and the helpers; a helper that dies is reported on stderr and started
    again (after 1 s, doubling up to a minute while it keeps dying); the helpers stop when
    `main` ends or we are told to stop. See docs/operations.md, "Processes"."""
    process = subprocess.Popen(main)
    background = [Supervised(helper, first_backoff, max_backoff) for helper in helpers]

    def forward(signum: int, frame: object) -> None:
        process.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        while True:
            try:
                return process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                for helper in background:
                    helper.check()
    finally:
        stop([helper.process for helper in background if helper.process])


class Supervised:
    """One helper process, started again when it dies."""

    def __init__(self, argv: list[str], first_backoff: float, max_backoff: float) -> None:
        self.argv, self.first_backoff, self.max_backoff = argv, first_backoff, max_backoff
        self.backoff = first_backoff
        self.restarts = 0
        self.process: subprocess.Popen[bytes] | None = _start(argv)
        self.started = time.monotonic()
        self.due = 0.0  # when a dead helper is started again

    def check(self) -> None:
        now = time.monotonic()
        if self.process is not None:
            status = self.process.poll()
            if status is None:
                return
            ran = now - self.started
            # A helper that ran a good while before dying starts again at once.
            self.backoff = self.first_backoff if ran > self.max_backoff else self.backoff
            log.error(
                "%s exited with status %s after %.0f s; starting it again in %.0f s",
                _name(self.argv),
                status,
                ran,
                self.backoff,
            )
            self.process, self.due = None, now + self.backoff
            self.backoff = min(self.backoff * 2, self.max_backoff)
        if now >= self.due:
            self.process, self.started = _start(self.argv), now
            self.restarts += 1


def _start(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, env=dict(os.environ, **{SUPERVISOR_ENV: str(os.getpid())}))


def orphaned() -> bool:
    """Whether this helper's supervisor is gone already (its parent is another process)."""
    supervisor = os.environ.get(SUPERVISOR_ENV, "")
    return supervisor.isdigit() and os.getppid() != int(supervisor)


def _name(argv: list[str]) -> str:
    """`dailypapers worker` for a subcommand's command line, else the program's."""
    if argv[1:3] == ["-m", "dailypapers.cli"]:
        return " ".join(["dailypapers", *argv[3:]])
    return " ".join(argv)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Ask each to stop, then kill the ones still running after 10 s."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

"""Background processes the long-running commands start beside themselves: the command line
of a `dailypapers` subcommand, and a supervisor that stops the helpers with the main process.
"""

from __future__ import annotations

import signal
import subprocess
import sys


def command_argv(*words: str) -> list[str]:
    """The command line of `dailypapers <words>` with this interpreter."""
    return [sys.executable, "-m", "dailypapers.cli", *words]


def supervise(main: list[str], helpers: list[list[str]]) -> int:
    """Run `main` and the helpers; stop the helpers when `main` ends or we are told to stop."""
    process = subprocess.Popen(main)
    background = [subprocess.Popen(helper) for helper in helpers]

    def forward(signum: int, frame: object) -> None:
        process.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return process.wait()
    finally:
        stop(background)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Ask each to stop, then kill the ones still running after 10 s."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

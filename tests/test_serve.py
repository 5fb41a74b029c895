"""The `make run` path end to end: migrate, load the sample once, serve with gunicorn and the
worker beside it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "dailypapers"


@pytest.fixture
def site_env(tmp_path: Path) -> dict[str, str]:
    # No scheduled ingestion: it would reach for the live arXiv.
    env = dict(os.environ, DAILYPAPERS_DATA_DIR=str(tmp_path), WEB_WORKERS="1", WORKER_SCHEDULE="")
    if env["DATABASE_URL"].startswith("sqlite"):
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    else:
        env["DATABASE_URL"] = fresh_postgres_database(env["DATABASE_URL"])
    env.pop("SECRET_KEY")  # the site must make its own
    return env


def fresh_postgres_database(server_url: str) -> str:
    import psycopg

    name = f"site_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name


def dailypapers(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def server(site_env: dict[str, str]) -> Iterator[str]:
    dailypapers(site_env, "migrate", "--no-input", "-v", "0")
    assert "new 2234" in dailypapers(site_env, "ingest", "sample", "--if-empty", "--no-progress")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=site_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_sample_is_loaded_only_into_an_empty_database(site_env: dict[str, str]) -> None:
    dailypapers(site_env, "migrate", "--no-input", "-v", "0")
    assert "new 2234" in dailypapers(site_env, "ingest", "sample", "--if-empty", "--no-progress")
    again = dailypapers(site_env, "ingest", "sample", "--if-empty", "--no-progress")
    assert "already holds papers" in again
    assert (Path(site_env["DAILYPAPERS_DATA_DIR"]) / "secret_key").exists()


def test_production_server_serves_pages_and_static_files(server: str) -> None:
    with urllib.request.urlopen(server + "/") as response:
        page = response.read().decode()
        assert response.status == 200
    assert "<h1" in page
    css = next(part.split('"')[0] for part in page.split('href="')[1:] if ".css" in part)
    with urllib.request.urlopen(server + css) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")
        # WEB_KEEPALIVE_SECONDS=0: one request a connection, so the next goes to a free worker.
        assert response.headers["Connection"] == "close"


def test_the_worker_runs_beside_the_server(server: str, site_env: dict[str, str]) -> None:
    """Its first look records the digest jobs' latest occurrences (nothing to send yet)."""
    names: set[str] = set()
    for _ in range(600):
        names = set(rows(site_env["DATABASE_URL"], "SELECT name FROM digest_jobrun"))
        if {"digest daily", "digest weekly"} <= names:
            break
        time.sleep(0.1)
    assert {"digest daily", "digest weekly"} <= names


def rows(database_url: str, sql: str) -> list[str]:
    """The first column of `sql`, read straight from the site's database."""
    if database_url.startswith("sqlite"):
        import sqlite3

        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as connection:
            return [row[0] for row in connection.execute(sql)]
    import psycopg

    with psycopg.connect(database_url) as connection:
        return [row[0] for row in connection.execute(sql)]

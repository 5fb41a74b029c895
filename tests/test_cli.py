"""The `dailypapers` command: help, and the operator commands it fronts."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from dailypapers.cli import main
from dailypapers.operations.management.commands.serve import background_argvs, gunicorn_argv


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_top_level_help_lists_operator_commands(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--help"])
    out = capsys.readouterr().out
    for command in ("migrate", "serve", "ingest", "createsuperuser"):
        assert f"  {command}" in out


@pytest.mark.parametrize("command", ["serve", "ingest", "migrate", "createsuperuser"])
def test_each_command_has_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: dailypapers" in result.stdout


@pytest.mark.parametrize("source", ["arxiv-api", "arxiv-rss", "oai-pmh", "hf-daily", "file"])
def test_each_ingest_source_has_help_with_example(source: str) -> None:
    result = run_cli("ingest", source, "--help")
    assert result.returncode == 0, result.stderr
    assert f"Example: dailypapers ingest {source}" in result.stdout


def test_serve_runs_gunicorn_on_the_given_address() -> None:
    argv = gunicorn_argv("0.0.0.0", 8080, 3, 2)
    assert argv[1:4] == ["-m", "gunicorn", "dailypapers.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8080"
    assert gunicorn_argv("::1", 8000, 1, 1)[5] == "[::1]:8000"


def test_serve_keeps_connections_alive_as_long_as_the_setting_says(settings: Any) -> None:
    def keep_alive() -> str:
        argv = gunicorn_argv("0.0.0.0", 8080, 3, 2)
        return argv[argv.index("--keep-alive") + 1]

    assert keep_alive() == "0"
    settings.WEB_KEEPALIVE_SECONDS = 5
    assert keep_alive() == "5"


@pytest.mark.parametrize(
    ("no_worker", "no_indexer", "beside"),
    [
        (False, False, [["worker"]]),
        (False, True, [["worker", "--no-search"]]),
        (True, False, [["search", "update", "--watch"]]),
        (True, True, []),
    ],
)
def test_serve_runs_the_worker_and_its_indexer_unless_told_not_to(
    no_worker: bool, no_indexer: bool, beside: list[list[str]]
) -> None:
    found = background_argvs(no_worker, no_indexer)
    assert [argv[3 : 3 + len(words)] for argv, words in zip(found, beside, strict=True)] == beside
    assert all(argv[1:3] == ["-m", "dailypapers.cli"] for argv in found)

"""The arXiv request budget: one request per interval across fetchers and processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dailypapers.ingest.http import PoliteFetcher, SharedBudget, is_arxiv
from tests.loopback import Loopback


@pytest.fixture
def budget_file(tmp_path: Path, settings: Any, loopback: Loopback) -> Path:
    settings.ARXIV_BUDGET_FILE = str(tmp_path / "arxiv-budget")
    settings.ARXIV_API_URL = loopback.url("/api/query")
    settings.ARXIV_PDF_URL = loopback.url("/pdf")
    loopback.route("/api/query", "<feed/>")
    loopback.route("/pdf/2401.00001", b"%PDF-1.4", content_type="application/pdf")
    loopback.route("/elsewhere", "other")
    return Path(settings.ARXIV_BUDGET_FILE)


def fetcher(waits: list[float]) -> PoliteFetcher:
    return PoliteFetcher(interval=3.0, max_retries=0, timeout=5.0, sleep=waits.append)


def test_two_fetchers_share_one_arxiv_budget(budget_file: Path, loopback: Loopback) -> None:
    # Two fetchers stand for the ingest run and the thumbnail worker: the second one waits,
    # although it never made a request of its own and asks a different arXiv endpoint.
    ingest, thumbnails = [], []  # type: ignore[var-annotated]
    fetcher(ingest).get(loopback.url("/api/query"))
    fetcher(thumbnails).get(loopback.url("/pdf/2401.00001"))
    assert ingest == []
    assert len(thumbnails) == 1 and 2.0 < thumbnails[0] <= 3.0


def test_another_process_taking_a_turn_holds_this_one_back(
    budget_file: Path, loopback: Loopback
) -> None:
    code = (
        "import sys; from pathlib import Path; from dailypapers.ingest.http import SharedBudget;"
        "print(SharedBudget(Path(sys.argv[1]), 3.0).reserve())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(budget_file)], capture_output=True, text=True, check=True
    )
    assert float(other.stdout) == 0.0  # the first turn is free
    waits: list[float] = []
    fetcher(waits).get(loopback.url("/api/query"))
    assert len(waits) == 1 and 1.0 < waits[0] <= 3.0


def test_turns_queue_up_one_interval_apart(tmp_path: Path) -> None:
    budget = SharedBudget(tmp_path / "budget", 3.0)
    waits = [budget.reserve() for _ in range(4)]
    assert waits[0] == 0.0
    # Each caller reserved the slot after the previous one: about 3, 6 and 9 seconds out.
    for n, wait in enumerate(waits[1:], start=1):
        assert 3.0 * n - 1.0 < wait <= 3.0 * n


def test_other_hosts_do_not_take_arxiv_turns(budget_file: Path, loopback: Loopback) -> None:
    waits: list[float] = []
    fetcher(waits).get(loopback.url("/api/query"))
    fetcher(waits).get(loopback.url("/elsewhere").replace("127.0.0.1", "localhost"))
    assert waits == []


def test_a_garbled_budget_file_is_read_as_no_wait(tmp_path: Path) -> None:
    path = tmp_path / "budget"
    path.write_bytes(b"\xff not a time")
    assert SharedBudget(path, 3.0).reserve() == 0.0
    assert SharedBudget(path, 3.0).reserve() > 2.0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/pdf/2401.00001", True),
        ("https://export.arxiv.org/api/query?id_list=1", True),
        ("https://huggingface.co/api/daily_papers", False),
        ("https://notarxiv.org/pdf/1", False),
    ],
)
def test_which_urls_are_arxiv(url: str, expected: bool) -> None:
    assert is_arxiv(url) is expected

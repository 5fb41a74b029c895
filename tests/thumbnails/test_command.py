"""`dailypapers thumbnails`: a progress bar and one summary line; the state at a glance."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.loopback import Loopback
from tests.papers.factories import add_paper
from tests.thumbnails import pdfs
from tests.thumbnails.conftest import serve_pdf

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("thumbnails", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_backfill_shows_progress_and_ends_with_one_summary_line(
    thumbnail_dir: Path, loopback: Loopback
) -> None:
    add_paper(date(2024, 1, 2), arxiv_id="2401.00011")
    add_paper(date(2024, 1, 3), arxiv_id="2401.00012")
    serve_pdf(loopback, "2401.00011", pdfs.paper_pdf())
    serve_pdf(loopback, "2401.00012", pdfs.truncated_pdf())
    out, err = run("backfill")
    assert out == "1 thumbnails made, 1 failed (retried later), 0 skipped\n"
    assert "2/2" in err  # the progress bar, on stderr
    assert run("status")[0] == "1 thumbnails made, 1 waiting for a retry, 0 given up\n"
    # Run again: nothing left to try, nothing fetched.
    requests = len(loopback.requests)
    assert run("backfill", "--no-progress") == (
        "0 thumbnails made, 0 failed (retried later), 0 skipped\n",
        "",
    )
    assert len(loopback.requests) == requests


def test_run_covers_the_latest_feed_days(thumbnail_dir: Path, loopback: Loopback) -> None:
    add_paper(date(2024, 1, 3), arxiv_id="2401.00013")
    serve_pdf(loopback, "2401.00013", pdfs.paper_pdf())
    assert run("run")[0].startswith("1 thumbnails made, 0 failed")

"""The thumbnail jobs against PDFs served on loopback: a thumbnail is made once, a failure is
recorded and retried later with a growing delay, new papers are covered by the worker's job and
older ones by the backfill, which resumes where it stopped."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from dailypapers.thumbnails import services, tasks
from dailypapers.thumbnails.models import Thumbnail
from tests.loopback import Loopback
from tests.papers.factories import add_paper
from tests.thumbnails import pdfs
from tests.thumbnails.conftest import pdf_requests, serve_pdf

pytestmark = pytest.mark.django_db


def test_a_new_paper_gets_its_first_page_as_thumbnail(
    thumbnail_dir: Path, loopback: Loopback
) -> None:
    paper = add_paper(arxiv_id="2401.00001")
    serve_pdf(loopback, "2401.00001", pdfs.paper_pdf())
    assert tasks.make_thumbnail("2401.00001") == tasks.MADE
    made = Thumbnail.objects.get(paper=paper)
    image = Image.open(thumbnail_dir / made.name)
    assert image.size == (made.width, made.height) == (320, image.height)
    assert made.name.startswith("2401/2401.00001.") and made.name.endswith(".webp")
    # Run again: nothing is fetched, the same image stays.
    assert tasks.make_thumbnail("2401.00001") == tasks.SKIPPED
    assert pdf_requests(loopback, "2401.00001") == 1
    assert Thumbnail.objects.get(paper=paper).name == made.name


def test_an_old_style_id_is_stored_under_a_flat_name(
    thumbnail_dir: Path, loopback: Loopback
) -> None:
    add_paper(arxiv_id="hep-th/9901001")
    serve_pdf(loopback, "hep-th/9901001", pdfs.paper_pdf(pages=1))
    assert tasks.make_thumbnail("hep-th/9901001") == tasks.MADE
    name = Thumbnail.objects.get().name
    assert "/" not in name.split("/", 1)[1] and services.NAME.fullmatch(name)


@pytest.mark.parametrize(
    "body",
    [pdfs.truncated_pdf(), pdfs.encrypted_pdf(user_password="secret"), b"<html>nope</html>"],
    ids=["truncated", "password", "not-a-pdf"],
)
def test_a_pdf_that_fails_is_recorded_and_retried_later(
    thumbnail_dir: Path, loopback: Loopback, body: bytes
) -> None:
    paper = add_paper(arxiv_id="2401.00002")
    serve_pdf(loopback, "2401.00002", body)
    before = timezone.now()
    assert tasks.make_thumbnail("2401.00002") == tasks.FAILED
    failed = Thumbnail.objects.get(paper=paper)
    assert failed.name == "" and failed.attempts == 1 and failed.last_error
    assert failed.next_try_at is not None
    assert failed.next_try_at >= before + timedelta(seconds=3600)
    assert list(thumbnail_dir.rglob("*.webp")) == []
    # Not due yet: nothing is fetched.
    assert tasks.make_thumbnail("2401.00002") == tasks.SKIPPED
    assert pdf_requests(loopback, "2401.00002") == 1


def test_a_fetch_error_is_retried_with_a_doubling_delay_until_it_gives_up(
    thumbnail_dir: Path, loopback: Loopback
) -> None:
    paper = add_paper(arxiv_id="2401.00003")
    serve_pdf(loopback, "2401.00003", b"busy", status=503)
    delays = []
    for attempt in range(1, 4):
        Thumbnail.objects.filter(paper=paper).update(next_try_at=timezone.now())  # now due
        started = timezone.now()
        assert tasks.make_thumbnail("2401.00003") == tasks.FAILED
        row = Thumbnail.objects.get(paper=paper)
        assert row.attempts == attempt and "HTTP 503" in row.last_error
        if row.next_try_at:
            delays.append(round((row.next_try_at - started).total_seconds() / 3600))
    assert delays == [1, 2]  # then the third failure (THUMBNAIL_MAX_ATTEMPTS) gives up
    assert Thumbnail.objects.get(paper=paper).next_try_at is None
    assert tasks.make_thumbnail("2401.00003") == tasks.SKIPPED


def test_a_retry_that_succeeds_makes_the_thumbnail(thumbnail_dir: Path, loopback: Loopback) -> None:
    paper = add_paper(arxiv_id="2401.00004")
    serve_pdf(loopback, "2401.00004", pdfs.truncated_pdf(), pdfs.paper_pdf())
    assert tasks.make_thumbnail("2401.00004") == tasks.FAILED
    Thumbnail.objects.filter(paper=paper).update(next_try_at=timezone.now())
    assert tasks.make_recent_thumbnails().made == 1
    made = Thumbnail.objects.get(paper=paper)
    assert made.name and made.last_error == "" and made.next_try_at is None


def test_the_worker_job_covers_the_latest_days_only(
    thumbnail_dir: Path, loopback: Loopback, settings: object
) -> None:
    newest = add_paper(date(2025, 3, 10), arxiv_id="2503.00010")
    yesterday = add_paper(date(2025, 3, 9), arxiv_id="2503.00009")
    old = add_paper(date(2025, 1, 2), arxiv_id="2501.09999")
    for paper in (newest, yesterday, old):
        serve_pdf(loopback, paper.arxiv_id, pdfs.paper_pdf(pages=1))
    summary = tasks.make_recent_thumbnails()
    assert (summary.made, summary.failed) == (2, 0)
    assert not Thumbnail.objects.filter(paper=old).exists()
    assert tasks.make_recent_thumbnails().made == 0  # idempotent: nothing left to do


def test_the_worker_job_does_nothing_when_switched_off(
    thumbnail_dir: Path, loopback: Loopback, settings: object
) -> None:
    settings.THUMBNAILS_ENABLED = False  # type: ignore[attr-defined]
    add_paper(arxiv_id="2401.00005")
    assert tasks.make_recent_thumbnails().made == 0
    assert loopback.requests == []


def test_the_backfill_resumes_where_it_stopped(thumbnail_dir: Path, loopback: Loopback) -> None:
    papers = [add_paper(date(2024, 5, n), arxiv_id=f"2405.0000{n}") for n in range(1, 6)]
    for paper in papers:
        broken = paper.arxiv_id == "2405.00003"
        serve_pdf(loopback, paper.arxiv_id, pdfs.truncated_pdf() if broken else pdfs.paper_pdf())
    first = tasks.backfill_thumbnails(limit=2)  # stopped after two
    assert (first.made, first.failed) == (2, 0)
    assert services.count_without_thumbnail() == 3
    rest = tasks.backfill_thumbnails()
    assert (rest.made, rest.failed) == (2, 1)
    assert services.count_without_thumbnail() == 0
    # Every PDF was fetched exactly once across both runs.
    assert sorted(request.path for request in loopback.requests) == sorted(
        f"/pdf/{paper.arxiv_id}" for paper in papers
    )

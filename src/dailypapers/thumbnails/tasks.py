"""The thumbnail jobs: plain, idempotent functions, safe to run twice or to stop midway (each
paper's state is one row). The worker runs `make_recent_thumbnails`; the backfill command runs
`backfill_thumbnails` (docs/thumbnails.md)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.papers.models import DailyEntry, Paper
from dailypapers.thumbnails import services
from dailypapers.thumbnails.models import Thumbnail
from dailypapers.thumbnails.render import Limits, RenderError, render_in_child

MADE, FAILED, SKIPPED = "made", "failed", "skipped"
BATCH = 200


@dataclass
class JobSummary:
    made: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def line(self) -> str:
        return f"{self.made} thumbnails made, {self.failed} failed (retried later), " + (
            f"{self.skipped} skipped"
        )


def make_thumbnail(arxiv_id: str, fetcher: PoliteFetcher | None = None) -> str:
    """Fetch one paper's PDF, render its first page and keep it: "made", "failed" (recorded,
    retried later) or "skipped" (already made, unknown paper, or not due for a retry yet)."""
    paper = Paper.objects.filter(arxiv_id=arxiv_id).first()
    if paper is None or not _due(paper):
        return SKIPPED
    try:
        image, size = _render(_fetch_pdf(arxiv_id, fetcher or PoliteFetcher()))
    except (FetchError, RenderError) as error:
        services.record_failure(paper, str(error))
        return FAILED
    services.keep_image(paper, image, size)
    return MADE


def make_recent_thumbnails(limit: int = 100, fetcher: PoliteFetcher | None = None) -> JobSummary:
    """The worker's job: thumbnails for the latest THUMBNAIL_RECENT_DAYS feed days' papers that
    have none yet, then the failed ones whose retry is due; at most `limit` PDFs per run."""
    summary = JobSummary()
    if not settings.THUMBNAILS_ENABLED:
        return summary
    wanted = list(_recent_without().values_list("arxiv_id", flat=True)[:limit])
    wanted += list(_due_retries().values_list("paper__arxiv_id", flat=True)[: limit - len(wanted)])
    for arxiv_id in wanted:
        summary.add(make_thumbnail(arxiv_id, fetcher))
    return summary


def backfill_thumbnails(
    limit: int | None = None,
    fetcher: PoliteFetcher | None = None,
    progress: Callable[[int], object] | None = None,
) -> JobSummary:
    """Thumbnails for every visible paper without one, newest first; resumable: a paper tried
    before (made or failed) is not fetched again, so a stopped run continues where it was."""
    summary = JobSummary()
    for done, arxiv_id in enumerate(_backfill_ids(), start=1):
        if limit is not None and done > limit:
            break
        summary.add(make_thumbnail(arxiv_id, fetcher))
        if progress:
            progress(1)
    return summary


def _backfill_ids() -> Iterator[str]:
    # Keyset pages by id, so each batch is read after the previous one was written.
    last = None
    while True:
        rows = _without_thumbnail(Paper.objects.filter(is_hidden=False)).order_by("-id")
        if last is not None:
            rows = rows.filter(id__lt=last)
        batch = list(rows.values_list("id", "arxiv_id")[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        yield from (arxiv_id for _, arxiv_id in batch)


def _without_thumbnail(papers: QuerySet[Paper]) -> QuerySet[Paper]:
    return papers.filter(thumbnail__isnull=True)


def _recent_without() -> QuerySet[Paper]:
    latest = DailyEntry.objects.aggregate(day=Max("day"))["day"]
    if latest is None:
        return Paper.objects.none()
    since = latest - timedelta(days=settings.THUMBNAIL_RECENT_DAYS - 1)
    entries = DailyEntry.objects.filter(day__gte=since, hidden=False).values("paper_id")
    recent = Paper.objects.filter(id__in=entries)
    return _without_thumbnail(recent).order_by("-id")


def _due_retries() -> QuerySet[Thumbnail]:
    due = Thumbnail.objects.filter(name="", next_try_at__lte=timezone.now())
    return due.filter(paper__is_hidden=False).order_by("next_try_at")


def _due(paper: Paper) -> bool:
    """Never tried, or failed with a retry that is due (not made, attempts not run out)."""
    tried = Thumbnail.objects.filter(paper=paper).first()
    if tried is None:
        return True
    return not tried.name and tried.next_try_at is not None and tried.next_try_at <= timezone.now()


def _fetch_pdf(arxiv_id: str, fetcher: PoliteFetcher) -> bytes:
    data = fetcher.get(f"{settings.ARXIV_PDF_URL.rstrip('/')}/{arxiv_id}")
    if len(data) > settings.THUMBNAIL_MAX_PDF_MB * 2**20:
        raise RenderError(f"the PDF is larger than {settings.THUMBNAIL_MAX_PDF_MB} MiB")
    if not data.lstrip()[:5] == b"%PDF-":
        raise RenderError("the answer is not a PDF")
    return data


def _render(pdf: bytes) -> tuple[bytes, tuple[int, int]]:
    limits = Limits(settings.THUMBNAIL_RENDER_SECONDS, settings.THUMBNAIL_RENDER_MEMORY_MB * 2**20)
    with tempfile.TemporaryDirectory(prefix="thumbnail-") as scratch:
        source, out = Path(scratch) / "paper.pdf", Path(scratch) / "page.webp"
        source.write_bytes(pdf)
        size = render_in_child(source, out, settings.THUMBNAIL_WIDTH, limits)
        return out.read_bytes(), size

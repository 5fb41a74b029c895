"""Background work: summarize the papers that lack a summary, or whose text or method changed.

`summarize_papers`, the one job here, is idempotent and resumable (each batch is committed on
its own): the task engine runs it every five minutes (operations/jobs.py), and
`dailypapers summaries update` by hand, for the backfill too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import Embedder, Vectors
from dailypapers.summaries.models import PaperSummary
from dailypapers.summaries.services import (
    embedded_text_hash,
    papers_to_summarize,
    search_vectors,
    summary_embedder,
)
from dailypapers.summaries.summarizer import PaperText, Summary, method_id, summarize


@dataclass
class SummaryReport:
    summarized: int = 0
    method: str = ""

    def line(self) -> str:
        return f"summarized {self.summarized} papers ({self.method})"


def summarize_papers(
    embedder: Embedder | None = None,
    *,
    batch_size: int | None = None,
    on_progress: Callable[[int], object] | None = None,
) -> SummaryReport:
    """Summarize every paper that needs it, a batch at a time; nothing when switched off."""
    embedder = embedder or summary_embedder()
    report = SummaryReport(method=method_id(embedder))
    if not settings.SUMMARIES_ENABLED:
        return report
    batch_size = batch_size or settings.SUMMARIES_BATCH_SIZE
    ids = list(papers_to_summarize(report.method).order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        report.summarized += _summarize_batch(batch, embedder, report.method)
        if on_progress:
            on_progress(len(batch))
    return report


def _summarize_batch(ids: list[int], embedder: Embedder, method: str) -> int:
    rows = Paper.objects.filter(id__in=ids).values_list("id", "title", "abstract")
    known = search_vectors(ids, embedder.model_id)
    texts = [_paper_text(pk, title or "", abstract or "", known) for pk, title, abstract in rows]
    hashes = {text.paper_id: _text_hash(text) for text in texts}
    done = PaperSummary.objects.filter(paper_id__in=ids, method=method)
    unchanged = {
        pk for pk, digest in done.values_list("paper_id", "text_hash") if hashes[pk] == digest
    }
    summaries = summarize([text for text in texts if text.paper_id not in unchanged], embedder)
    with transaction.atomic():
        # Changed elsewhere (a vote, a category) but not in its text: nothing to make again.
        PaperSummary.objects.filter(paper_id__in=unchanged).update(made_at=timezone.now())
        PaperSummary.objects.bulk_create(
            [_row(summary, method, hashes[summary.paper_id]) for summary in summaries],
            update_conflicts=True,
            unique_fields=["paper"],
            update_fields=["sentence", "keywords", "method", "text_hash", "made_at"],
        )
    return len(summaries)


def _paper_text(
    pk: int, title: str, abstract: str, known: dict[int, tuple[str, Vectors]]
) -> PaperText:
    """The paper, with search's vector of it when that was made of this title and abstract."""
    text_hash, vector = known.get(pk, ("", None))
    if vector is not None and text_hash == embedded_text_hash(title, abstract):
        return PaperText(pk, title, abstract, vector)
    return PaperText(pk, title, abstract)


def _row(summary: Summary, method: str, digest: str) -> PaperSummary:
    return PaperSummary(
        paper_id=summary.paper_id,
        sentence=summary.sentence,
        keywords=summary.keywords,
        method=method,
        text_hash=digest,
        made_at=timezone.now(),
    )


def _text_hash(text: PaperText) -> str:
    payload = f"{text.title}\n{text.abstract}".encode()
    return hashlib.md5(payload, usedforsecurity=False).hexdigest()

"""Reading summaries for pages and the API (a whole page's in one query, nothing when
SUMMARIES_ENABLED is off), and what making them needs: the embedder, the papers waiting."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import F, Q, prefetch_related_objects

from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import (
    Embedder,
    EmbedderUnavailable,
    NullEmbedder,
    Vectors,
    paper_text,
)
from dailypapers.search.models import stored_vectors
from dailypapers.summaries.models import PaperSummary

log = logging.getLogger(__name__)
# Keywords and sentences are short and many: batches of texts run far faster than one by one.
EMBED_BATCH = 32


def load_summaries(papers: Iterable[Paper]) -> None:
    """Read the summaries of these papers in one query, kept on each paper."""
    missing = [paper for paper in papers if not Paper.summary.is_cached(paper)]
    if missing and settings.SUMMARIES_ENABLED:
        prefetch_related_objects(missing, "summary")


def summary_of(paper: Paper) -> PaperSummary | None:
    """The paper's summary, read already (load_summaries) or now; None when it has none or
    summaries are off."""
    if not settings.SUMMARIES_ENABLED:
        return None
    try:
        found: PaperSummary = paper.summary
    except PaperSummary.DoesNotExist:
        return None
    return found


def ai_fields(paper: Paper) -> dict[str, Any]:
    """Hugging Face's `ai_summary` and `ai_keywords`; null when there is none (docs/api.md)."""
    found = summary_of(paper)
    return {
        "ai_summary": (found.sentence or None) if found else None,
        "ai_keywords": list(found.keywords) if found and found.keywords else None,
    }


def summary_embedder() -> Embedder:
    """The search embedder's model, batched; NullEmbedder when it cannot run (summaries are
    then made without it, and made again once it can: docs/summaries.md)."""
    if settings.SEARCH_EMBEDDER == "null":
        return NullEmbedder("the embedder is switched off (SEARCH_EMBEDDER=null)")
    try:
        from dailypapers.search.embeddings import OnnxEmbedder

        return OnnxEmbedder(threads=settings.SEARCH_EMBED_THREADS, batch_size=EMBED_BATCH)
    except (EmbedderUnavailable, ImportError, OSError) as error:
        log.warning("summaries made without the embedder: %s", error)
        return NullEmbedder(str(error))


def papers_to_summarize(method: str) -> Any:
    """Papers with no summary, one by another method, or one older than the paper's change."""
    return Paper.objects.filter(
        Q(summary__isnull=True)
        | ~Q(summary__method=method)
        | Q(modified_at__gt=F("summary__made_at"))
    )


def search_vectors(paper_ids: list[int], model_id: str) -> dict[int, tuple[str, Vectors]]:
    """Search's vectors of these papers by this model, with the hash of the text embedded:
    the paper's own embedding need not be made twice."""
    return stored_vectors(paper_ids, model_id)


def embedded_text_hash(title: str, abstract: str) -> str:
    """The hash search keeps of the text it embedded (search/indexer.py, `_text_hash`)."""
    text = paper_text(title, abstract)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()

"""Reading summaries for pages and the API: a whole page's in one query, nothing when
SUMMARIES_ENABLED is off."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import prefetch_related_objects

from dailypapers.papers.models import Paper
from dailypapers.summaries.models import PaperSummary


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

"""The summary line and keywords on a paper card and the paper page.

A listing reads the summaries of all its papers in one query, `{% summaries_for feed.papers %}`
(papers, or rows holding a `paper`, as /for-you's picks), before its cards; then
`{% paper_summary paper %}` per card reads nothing more. A card outside such a listing reads
its own summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.conf import settings

from dailypapers.papers.models import Paper
from dailypapers.summaries.services import load_summaries, summary_of

register = template.Library()


@register.simple_tag
def summaries_for(listing: Iterable[Any]) -> str:
    """Read the summaries of a listing's papers in one query; renders nothing."""
    if settings.SUMMARIES_ENABLED:
        papers = (
            item if isinstance(item, Paper) else getattr(item, "paper", None) for item in listing
        )
        load_summaries(paper for paper in papers if isinstance(paper, Paper))
    return ""


@register.inclusion_tag("summaries/_summary.html")
def paper_summary(paper: Paper, abstract: str = "") -> dict[str, Any]:
    """A card passes the abstract: its excerpt shows only where there is no summary line
    (the line is a sentence of it, often the first: it would show twice)."""
    if not settings.SUMMARIES_ENABLED or not isinstance(paper, Paper):
        return {"summary": None, "abstract": abstract}
    return {"summary": summary_of(paper), "paper": paper, "abstract": abstract}

"""The summary line and keywords on a paper card and the paper page: `{% paper_summary paper %}`.

The first card of a page reads the summaries of every paper on the page in one query (the
listing the card sits in, found in the template context), so a page costs one query, not
one per card.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from dailypapers.papers.models import Paper
from dailypapers.summaries.services import load_summaries, summary_of

register = template.Library()


@register.inclusion_tag("summaries/_summary.html", takes_context=True)
def paper_summary(context: template.Context, paper: Paper) -> dict[str, Any]:
    if not settings.SUMMARIES_ENABLED or not isinstance(paper, Paper):
        return {"summary": None}
    if not Paper.summary.is_cached(paper):
        load_summaries(_page_papers(context, paper))
    return {"summary": summary_of(paper), "paper": paper}


def _page_papers(context: template.Context, paper: Paper) -> list[Paper]:
    """The papers listed with this one: a list in the context (or a value's `papers`) of
    papers or of rows holding a `paper`, that includes this paper; else the paper alone."""
    for scope in reversed(context.dicts):
        for value in list(scope.values()):
            for listing in (value, getattr(value, "papers", None)):
                papers = _papers_in(listing)
                if any(other is paper for other in papers):
                    return papers
    return [paper]


def _papers_in(listing: Any) -> list[Paper]:
    if not isinstance(listing, list | tuple):
        return []
    papers = [getattr(item, "paper", item) for item in listing]
    return [item for item in papers if isinstance(item, Paper)]

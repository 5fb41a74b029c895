"""The summary line and keywords on a paper card and the paper page: `{% paper_summary paper %}`.

The first card of a page reads the summaries of every paper on the page in one query (the
listing the card sits in, found in the template context), so a page costs one query, not
one per card.
"""

from __future__ import annotations

from dataclasses import is_dataclass
from typing import Any

from django import template
from django.conf import settings
from django.utils.functional import LazyObject

from dailypapers.papers.models import Paper
from dailypapers.summaries.services import load_summaries, summary_of

register = template.Library()


@register.inclusion_tag("summaries/_summary.html", takes_context=True)
def paper_summary(context: template.Context, paper: Paper, abstract: str = "") -> dict[str, Any]:
    """A card passes the abstract: its excerpt shows only where there is no summary line
    (the line is a sentence of it, often the first: it would show twice)."""
    if not settings.SUMMARIES_ENABLED or not isinstance(paper, Paper):
        return {"summary": None, "abstract": abstract}
    if not Paper.summary.is_cached(paper):
        load_summaries(_page_papers(context, paper))
    return {"summary": summary_of(paper), "paper": paper, "abstract": abstract}


def _page_papers(context: template.Context, paper: Paper) -> list[Paper]:
    """The papers listed with this one: a list in the context (or a dataclass's `papers`,
    as a feed page has them) of papers or of rows holding a `paper`, that includes this
    paper; else the paper alone. Lazy values (the reader, the CSRF token) are never touched:
    reading them would make an anonymous page uncacheable."""
    for scope in reversed(context.dicts):
        for value in list(scope.values()):
            for listing in _listings(value):
                papers = _papers_in(listing)
                if any(other is paper for other in papers):
                    return papers
    return [paper]


def _listings(value: Any) -> list[Any]:
    if isinstance(value, LazyObject):
        return []
    if isinstance(value, list | tuple):
        return [value]
    if is_dataclass(value) and not isinstance(value, type):
        return [getattr(value, "papers", None)]
    return []


def _papers_in(listing: Any) -> list[Paper]:
    if not isinstance(listing, list | tuple):
        return []
    papers = [item if isinstance(item, Paper) else _row_paper(item) for item in listing]
    return [item for item in papers if isinstance(item, Paper)]


def _row_paper(item: Any) -> Any:
    if isinstance(item, LazyObject) or not is_dataclass(item):
        return None
    return getattr(item, "paper", None)

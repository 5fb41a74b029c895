"""A paper's summary line and keywords (docs/summaries.md): on every card (a part of
papers/cards.py, in place of the abstract's excerpt, all the listing's summaries read in one
query) and on the paper page."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from dailypapers.papers.cards import CardPart, Listing, abstract_excerpt_html, escape
from dailypapers.papers.models import Paper
from dailypapers.papers.tex import tex_html
from dailypapers.summaries.models import PaperSummary
from dailypapers.summaries.services import load_summaries, summary_of


def summary_html(summary: PaperSummary | None, abstract: str = "") -> str:
    """The summary line (or, on a card, the abstract's excerpt when there is no line: a card
    passes the abstract) and the keywords, each a search link; "" without a summary."""
    if summary is None:
        return ""
    out = ['<div class="ai-summary">']
    if summary.sentence:
        out.append(
            '<p class="summary-line" data-math><span class="visually-hidden">Summary: </span>'
            f"{tex_html(summary.sentence)}</p>"
        )
    elif abstract:
        out.append(abstract_excerpt_html(abstract))
    if summary.keywords:
        search = reverse("search:search")
        words = "".join(
            f'<li><a href="{search}?q={escape(quote(str(word), safe="/"))}">{escape(word)}</a></li>'
            for word in summary.keywords
        )
        out.append(f'<ul class="tags keywords" aria-label="Keywords">{words}</ul>')
    out.append("</div>")
    return "".join(out)


def _load(listing: Listing) -> None:
    if settings.SUMMARIES_ENABLED:
        load_summaries(listing.papers)


def _render(paper: Paper, listing: Listing) -> str:
    return summary_html(summary_of(paper), paper.abstract)


PART = CardPart("summary", "summary", _render, _load)

"""The thumbnail on the paper page: `{% thumbnails_for paper as thumbs %}` then
`{% thumbnail paper thumbs "page" %}` (cards get theirs from thumbnails/cards.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from dailypapers.papers.models import Paper
from dailypapers.thumbnails import services
from dailypapers.thumbnails.cards import thumbnail_html
from dailypapers.thumbnails.models import Thumbnail

register = template.Library()


@register.simple_tag
def thumbnails_for(papers: Paper | list[Paper]) -> dict[int, Thumbnail]:
    """The made thumbnails of a listing's papers by id, in one query."""
    return services.made_for([papers] if isinstance(papers, Paper) else list(papers))


@register.simple_tag
def thumbnail(
    paper: Paper, thumbs: dict[int, Thumbnail] | None = None, size: str = "card"
) -> SafeString:
    """The paper's first page as a linked image; nothing when it has none (or `thumbs` was not
    loaded: a page never reads one row per paper)."""
    made = (thumbs or {}).get(paper.pk)
    link = paper.pdf_url if size == "page" else paper.get_absolute_url()
    return mark_safe(thumbnail_html(made, link, size))

"""The thumbnail on a card and on the paper page: one query for a whole page of cards
(`{% thumbnails_for papers as thumbs %}`), then `{% thumbnail paper thumbs %}` per card."""

from __future__ import annotations

from typing import Any

from django import template

from dailypapers.papers.models import Paper
from dailypapers.thumbnails import services
from dailypapers.thumbnails.models import Thumbnail

register = template.Library()


@register.simple_tag
def thumbnails_for(papers: Paper | list[Paper]) -> dict[int, Thumbnail]:
    """The made thumbnails of a listing's papers by id, in one query."""
    return services.made_for([papers] if isinstance(papers, Paper) else list(papers))


@register.inclusion_tag("thumbnails/_thumbnail.html")
def thumbnail(paper: Paper, thumbs: dict[int, Thumbnail] | None = None, size: str = "card") -> Any:
    """The paper's first page as a linked image; nothing when it has none (or `thumbs` was not
    loaded: a card never reads one row per paper)."""
    made = (thumbs or {}).get(paper.pk)
    return {"paper": paper, "thumbnail": made, "url": services.image_url(made), "size": size}

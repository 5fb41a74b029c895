"""The thumbnail on the paper page: `{% thumbnails_for paper as thumbs %}` then
`{% thumbnail paper thumbs "page" %}` (cards get theirs from thumbnails/cards.py), and the
image a shared link shows (`{% share_image paper %}`, Open Graph and Twitter cards)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from dailypapers.papers.models import Paper
from dailypapers.thumbnails import services
from dailypapers.thumbnails.cards import thumbnail_html
from dailypapers.thumbnails.models import Thumbnail

register = template.Library()


@register.simple_tag
def thumbnails_for(papers: Paper | list[Paper]) -> dict[int, Thumbnail]:
    """The made thumbnails of a listing's papers by id, in one query (for one paper, once:
    the page's head and body both ask)."""
    if not isinstance(papers, Paper):
        return services.made_for(list(papers))
    if not hasattr(papers, "_made_thumbnails"):
        papers._made_thumbnails = services.made_for([papers])  # type: ignore[attr-defined]
    return papers._made_thumbnails  # type: ignore[attr-defined]


@register.simple_tag(takes_context=True)
def share_image(context: template.Context, paper: Paper) -> SafeString:
    """og:image and the large Twitter card when the paper has a first page; a small card else."""
    made = thumbnails_for(paper).get(paper.pk)
    url = services.image_url(made)
    request = context.get("request")
    if made is None or not url or request is None:
        return mark_safe('<meta name="twitter:card" content="summary">')
    return format_html(
        '<meta property="og:image" content="{}">'
        '<meta property="og:image:width" content="{}">'
        '<meta property="og:image:height" content="{}">'
        '<meta property="og:image:alt" content="First page of the paper">'
        '<meta name="twitter:card" content="summary_large_image">',
        request.build_absolute_uri(url),
        made.width,
        made.height,
    )


@register.simple_tag
def thumbnail(
    paper: Paper, thumbs: dict[int, Thumbnail] | None = None, size: str = "card"
) -> SafeString:
    """The paper's first page as a linked image; nothing when it has none (or `thumbs` was not
    loaded: a page never reads one row per paper)."""
    made = (thumbs or {}).get(paper.pk)
    link = paper.pdf_url if size == "page" else paper.get_absolute_url()
    return mark_safe(thumbnail_html(made, link, size))

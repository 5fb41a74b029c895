"""The thumbnail: the paper's first page as a linked image, on every card (a part of
papers/cards.py, one query for the listing) and, larger, on the paper page."""

from __future__ import annotations

from dailypapers.papers.cards import CardPart, Listing, escape
from dailypapers.papers.models import Paper
from dailypapers.thumbnails import services
from dailypapers.thumbnails.models import Thumbnail


def thumbnail_html(made: Thumbnail | None, link: str, size: str = "card") -> str:
    """The image, linked to the paper (a card: `link` its page) or to its PDF (size "page");
    "" when the paper has none."""
    url = services.image_url(made)
    if made is None or not url:
        return ""
    image = f'src="{escape(url)}" width="{made.width}" height="{made.height}"'
    if size == "page":
        return (
            f'<a class="thumb thumb-page" href="{escape(link)}"><img {image} '
            'alt="First page of the PDF" decoding="async"></a>'
        )
    return (
        f'<a class="thumb" href="{escape(link)}" tabindex="-1" aria-hidden="true"><img {image} '
        'alt="" loading="lazy" decoding="async"></a>'
    )


def _load(listing: Listing) -> dict[int, Thumbnail]:
    return services.made_for(listing.papers)


def _render(paper: Paper, listing: Listing) -> str:
    made = listing.loaded["thumbnail"].get(paper.pk)
    if made is None:
        return ""
    return thumbnail_html(made, listing.paper_url("papers:paper", paper))


PART = CardPart("thumbnail", "figure", _render, _load)

"""Filters and tags the reading templates share: excerpts, period links, author lists, and the
paper cards of a listing (papers/cards.py).

Everything returns plain strings; autoescaping still applies to what comes from sources.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from dailypapers.papers import cards
from dailypapers.papers import text as text_module
from dailypapers.papers.feeds import CategoryCount
from dailypapers.papers.models import Paper
from dailypapers.papers.periods import Period
from dailypapers.papers.tex import tex_html, tex_plain

register = template.Library()


@register.filter
def excerpt(text: str, length: int = 300) -> str:
    return text_module.excerpt(text, length)


@register.filter
def tex(text: str) -> SafeString:
    """A title or abstract as HTML: TeX outside math shown as what it means (papers/tex.py)."""
    return mark_safe(tex_html(text))


@register.filter
def tex_title(text: str) -> SafeString:
    """A title inside a link: the same, with no link of its own."""
    return mark_safe(tex_html(text, links=False))


@register.filter
def tex_text(text: str) -> str:
    """The same as plain text (escaped by the template), for <title> and descriptions."""
    return tex_plain(text)


@register.filter
def author_line(authors: list[str]) -> str:
    return text_module.author_line(authors)


@register.filter
def http_url(url: str) -> str:
    return text_module.http_url(url)


@register.simple_tag
def card_date(paper: Paper) -> SafeString:
    return mark_safe(cards.card_date(paper))


@register.simple_tag(takes_context=True)
def paper_cards(context: template.Context, papers: list[Paper]) -> SafeString:
    """Every paper's card (papers/cards.py), the listing's parts loaded once."""
    return cards.render_cards(papers, context.get("request"), back=context.get("back") or "")


@register.simple_tag(takes_context=True)
def card_listing(context: template.Context, papers: list[Paper], target: str = "") -> cards.Listing:
    """A listing whose cards a page places itself (`{% card listing paper %}`), between its
    own markup."""
    return cards.listing(
        papers, context.get("request"), back=context.get("back") or "", target=target
    )


@register.simple_tag
def card(listing: cards.Listing, paper: Paper) -> SafeString:
    return listing.card(paper)


@register.simple_tag
def category_options(categories: list[CategoryCount], chosen: str) -> SafeString:
    """The filter's <option> per category, written here: a month lists about 150, which
    took 2 to 3 ms of a page through the template engine."""
    rows = []
    for item in categories:
        name = cards.escape(item.name)
        selected = " selected" if item.name == chosen else ""
        rows.append(f'<option value="{name}"{selected}>{name} ({item.count})</option>')
    return mark_safe("\n".join(rows))


@register.simple_tag
def period_url(period: Period | None, category: str = "", has_code: bool = False) -> str:
    """The page of `period`, keeping the category and "has code" filters (not the page)."""
    if period is None:
        return ""
    url = reverse(f"papers:{period.kind}", args=[period.slug])
    query = {**({"cat": category} if category else {}), **({"code": "1"} if has_code else {})}
    return f"{url}?{urlencode(query)}" if query else url

"""What the personal feed offers other pages' templates: feedback buttons' state, the member's
"hide seen" choice applied to a listing, links to "more like this" of each collection."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from dailypapers.community.models import Collection
from dailypapers.papers import cards
from dailypapers.papers.cards import escape
from dailypapers.papers.models import Paper
from dailypapers.papers.tex import tex_html
from dailypapers.recommend import feedback
from dailypapers.recommend.feed import Pick

register = template.Library()


@register.simple_tag(takes_context=True)
def for_member(context: template.Context, papers: list[Paper]) -> str:
    """Drop from this listing what the member asked not to see (not relevant; seen, when they
    hide seen papers), in place, and set `hide_seen`; renders nothing. Anonymous readers:
    nothing changes."""
    user = _user(context)
    if not user.is_authenticated or not isinstance(papers, list):
        return ""
    hidden = feedback.hidden_ids(user, [paper.id for paper in papers])
    if hidden:
        papers[:] = [paper for paper in papers if paper.id not in hidden]
    context["hide_seen"] = feedback.hides_seen(user)
    return ""


@register.simple_tag(takes_context=True)
def hides_seen(context: template.Context) -> bool:
    return feedback.hides_seen(_user(context))


@register.simple_tag(takes_context=True)
def pick_cards(context: template.Context, picks: list[Pick]) -> SafeString:
    """/for-you's cards: why each paper is here ("Close to <paper> in your collection <name>"),
    then its card (papers/cards.py), whose "not relevant" removes both."""
    listing = cards.listing(
        [pick.paper for pick in picks], context.get("request"), target="closest .pick"
    )
    out = []
    for pick in picks:
        because = pick.because
        if because is None:
            why = escape(capfirst(pick.reason))
        else:
            link = listing.paper_url("papers:paper", because)
            title = tex_html(because.title, links=False)
            why = f'Close to <a href="{link}">{title}</a> in {escape(pick.reason)}'
        out.append(
            f'<div class="pick" id="pick-{pick.paper.pk}"><p class="why" data-math>{why}</p>'
            f"{listing.card(pick.paper)}</div>"
        )
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def collections_for_more(context: template.Context) -> str:
    """ "More like" links, one per collection of the member."""
    user = _user(context)
    if not user.is_authenticated:
        return ""
    mine = Collection.objects.filter(owner_id=user.pk).values_list("id", "name")
    if not mine:
        return ""
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("recommend:more_like", args=[pk]), name) for pk, name in mine),
    )
    return format_html(" · More like your collection: {}", links)


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")

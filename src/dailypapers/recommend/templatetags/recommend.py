"""What the personal feed offers other pages' templates: feedback buttons' state, the member's
"hide seen" choice applied to a listing, links to "more like this" of each collection."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from dailypapers.community.models import Collection
from dailypapers.papers.models import Paper
from dailypapers.recommend import feedback
from dailypapers.recommend.feed import Pick

register = template.Library()


@register.simple_tag(takes_context=True)
def for_member(context: template.Context, papers: list[Paper]) -> set[int]:
    """Drop from this listing what the member asked not to see (not relevant; seen, when they
    hide seen papers), in place; the ids they marked seen. Anonymous readers: nothing changes."""
    user = _user(context)
    if not user.is_authenticated or not isinstance(papers, list):
        return set()
    ids = [paper.id for paper in papers]
    hidden = feedback.hidden_ids(user, ids)
    if hidden:
        papers[:] = [paper for paper in papers if paper.id not in hidden]
    context["hide_seen"] = feedback.hides_seen(user)
    return feedback.marked_ids(user, ids, "seen")


@register.simple_tag(takes_context=True)
def feedback_state(context: template.Context, papers: list[Paper]) -> set[int]:
    return feedback.marked_ids(_user(context), [paper.id for paper in papers], "seen")


@register.simple_tag(takes_context=True)
def hides_seen(context: template.Context) -> bool:
    return feedback.hides_seen(_user(context))


@register.simple_tag
def pick_papers(picks: list[Pick]) -> list[Paper]:
    return [pick.paper for pick in picks]


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
    return format_html("More like your collection: {}", links)


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")

"""What the community offers other pages' templates (the paper page, listings, profiles): the
reader's vote state, their collections, a paper's comments. Pages compose these parts through
the tags, so the core (papers/) imports nothing of the community (../shared/STYLE.md)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from dailypapers.community import cards
from dailypapers.community.comments import Thread, threads
from dailypapers.community.forms import AddToCollectionForm, CommentForm
from dailypapers.community.models import Collection
from dailypapers.community.votes import voted_ids
from dailypapers.papers.cards import Listing
from dailypapers.papers.models import Paper

register = template.Library()


@register.simple_tag(takes_context=True)
def voted_in(context: template.Context, papers: Paper | list[Paper]) -> set[int]:
    """Which of these papers the reader upvoted (none for anonymous readers): one query for
    a whole listing, so each vote button shows its state."""
    listed = [papers] if isinstance(papers, Paper) else list(papers)
    return voted_ids(_user(context), [paper.id for paper in listed])


@register.simple_tag(takes_context=True)
def vote_button(context: template.Context, paper: Paper, details: bool = False) -> SafeString:
    """The paper page's upvote button (cards get theirs from papers/cards.py)."""
    listing = Listing([paper], context.get("request"), context.get("back") or "")
    voted = paper.id in voted_ids(_user(context), [paper.id])
    return mark_safe(cards.vote_form(paper, listing, voted=voted, details=details))


@register.simple_tag(takes_context=True)
def collect_form(context: template.Context, paper: Paper) -> AddToCollectionForm | None:
    """The add-to-collection form with the member's collections; None for anonymous readers."""
    user = _user(context)
    if not user.is_authenticated:
        return None
    mine = Collection.objects.filter(owner_id=user.pk).values_list("id", "name")
    return AddToCollectionForm(choices=list(mine))


@register.simple_tag(takes_context=True)
def comment_form(context: template.Context) -> CommentForm | None:
    return CommentForm() if _user(context).is_authenticated else None


@register.simple_tag
def comment_threads(paper: Paper) -> list[Thread]:
    return threads(paper.id)


@register.simple_tag
def comment_max_length() -> int:
    return int(settings.COMMENT_MAX_LENGTH)


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")

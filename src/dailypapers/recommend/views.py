"""Pages of the personal feed: /for-you with its short start, feedback on any card, the
"hide seen" choice, "more like this" of a collection, and the private RSS/Atom feed.

Every form is a plain POST that redirects back; htmx, where loaded, swaps the card away instead.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from dailypapers.community.models import Collection
from dailypapers.papers.cards import CARD_TARGET, Listing
from dailypapers.papers.models import Paper
from dailypapers.recommend import feed, feedback, profiles
from dailypapers.recommend.cards import TARGETS, feedback_html
from dailypapers.recommend.forms import InterestsForm
from dailypapers.recommend.syndication import PrivateFeed

PAGE_SIZE = 30
SPANS = {"day": 1, "week": 7}


@login_required
@require_safe
def for_you(request: HttpRequest) -> HttpResponse:
    span_name = request.GET.get("span", "week")
    days = SPANS.get(span_name, 7)
    span = feed.window()
    context: dict[str, Any] = {"nav": "for-you", "span": span, "span_name": span_name}
    choices = profiles.choices_of(_member(request))
    context.update(choices=choices, interests=InterestsForm.of(choices))
    if span is not None:
        feed.catch_up(_member(request), span)
        context["picks"] = feed.picks(
            _member(request), span, min(days, (span.end - span.start).days + 1), PAGE_SIZE
        )
    context["empty_profile"] = (
        profiles.profile_of(_member(request)).is_empty if not context.get("picks") else False
    )
    return render(request, "recommend/for_you.html", context)


@login_required
@require_POST
def interests(request: HttpRequest) -> HttpResponse:
    form = InterestsForm(request.POST)
    if form.is_valid():
        profiles.set_interests(
            _member(request), form.cleaned_data["categories"], form.cleaned_data["authors"]
        )
        messages.success(request, "Your feed follows these categories and authors now.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("recommend:for_you")


@require_POST
def mark(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    """Not relevant or seen (on=0 takes it back); htmx gets the card's new state."""
    paper = get_object_or_404(
        Paper.objects.only("id", "arxiv_id"), arxiv_id=arxiv_id, is_hidden=False
    )
    back = _back(request)
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': back})}")
    kind, on = request.POST.get("kind", ""), request.POST.get("on", "1") != "0"
    try:
        feedback.mark(_member(request), paper.id, kind, on)
    except feedback.FeedbackRefused as refused:
        return HttpResponseBadRequest(str(refused))
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(back)
    if paper.id in feedback.hidden_ids(_member(request), [paper.id]):
        return HttpResponse("")  # the card goes
    seen = paper.id in feedback.marked_ids(_member(request), [paper.id], "seen")
    target = request.POST.get("target", "")
    listing = Listing([paper], request, back, target if target in TARGETS else CARD_TARGET)
    return HttpResponse(feedback_html(paper, listing, seen=seen, hide_seen=False))


@login_required
@require_POST
def hide_seen(request: HttpRequest) -> HttpResponse:
    feedback.set_hide_seen(_member(request), request.POST.get("hide") == "1")
    return HttpResponseRedirect(_back(request))


@login_required
@require_POST
def feed_token(request: HttpRequest) -> HttpResponse:
    """Make a new private feed URL (the old one stops working), or revoke it."""
    if request.POST.get("revoke") == "1":
        feedback.revoke_feed_token(_member(request))
        messages.success(request, "Your private feed URL no longer works.")
    else:
        feedback.new_feed_token(_member(request))
        messages.success(request, "Your private feed has a new URL; the old one no longer works.")
    return redirect(reverse("recommend:for_you") + "#private-feed")


@login_required
@require_safe
def more_like(request: HttpRequest, collection_id: int) -> HttpResponse:
    """The feed window's papers closest to one of the member's collections."""
    collection = get_object_or_404(Collection, pk=collection_id, owner=_member(request))
    span = feed.window()
    picks = feed.more_like_collection(collection, span, PAGE_SIZE) if span else []
    context = {"nav": "for-you", "collection": collection, "picks": picks, "span": span}
    return render(request, "recommend/more_like.html", context)


def private_feed(request: HttpRequest, token: str, form: str) -> HttpResponse:
    owner = feedback.owner_of_token(token)
    if owner is None:
        raise Http404("No such feed.")
    return PrivateFeed(atom=form == "atom")(request, owner=owner)


def _back(request: HttpRequest) -> str:
    """Where a form returns: the page it was on (a local path), else /for-you."""
    back = request.POST.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    return back if allowed and back.startswith("/") else reverse("recommend:for_you")


def _member(request: HttpRequest) -> User:
    """The logged-in member (the views using it require a login)."""
    return cast(User, request.user)

"""Pages of what members do with papers: upvote, submit, comment, collect.

Every form works as a plain POST with the CSRF token (the upvote is upgraded by htmx); GET
never changes anything. Votes, comments and submissions are rate-limited (ratelimits.py):
a refusal is HTTP 429 with a Retry-After header and a sentence saying how long to wait.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dailypapers.accounts.profiles import profile_of, shows_upvotes
from dailypapers.community import ratelimits
from dailypapers.community.cards import vote_form
from dailypapers.community.collections import (
    CollectionRefused,
    add_paper,
    collection_papers,
    collections_of,
    create_collection,
    delete_collection,
    remove_paper,
    update_collection,
    visible_collection,
)
from dailypapers.community.comments import (
    CommentRefused,
    delete_comment,
    edit_comment,
    post_comment,
)
from dailypapers.community.forms import AddToCollectionForm, CollectionForm, CommentForm, SubmitForm
from dailypapers.community.models import Collection, Comment
from dailypapers.community.submissions import (
    SubmissionRefused,
    recent_requests,
    request_submission,
)
from dailypapers.community.votes import set_vote, upvoted_feed, voted_ids
from dailypapers.numbers import parse_int
from dailypapers.operations import engine
from dailypapers.papers import feeds
from dailypapers.papers.cards import Listing
from dailypapers.papers.models import DailyEntry, Paper

VOTE_FIELDS = ("id", "arxiv_id", "source_upvotes", "local_upvotes")
PAPER_FIELDS = ("id", "arxiv_id", "title")


@require_POST
def vote(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    paper = get_object_or_404(Paper.objects.only(*VOTE_FIELDS), arxiv_id=arxiv_id, is_hidden=False)
    back = _back(request, paper)
    if not request.user.is_authenticated:
        return _login_first(request, back)
    up = request.POST.get("up")
    if up not in ("0", "1"):
        return HttpResponseBadRequest("up must be 1 (upvote) or 0 (take the upvote back).")
    action = ratelimits.vote_action()
    wait = ratelimits.wait_seconds(request, action)
    if wait:
        return _too_fast(request, action, wait, "community/too_fast.html", {"back": back})
    state = set_vote(request.user, paper.id, up == "1", lambda: ratelimits.record(request, action))
    if not request.headers.get("HX-Request"):
        return redirect(back)
    paper.local_upvotes = state.upvotes - paper.source_upvotes  # the count the vote left
    details = request.POST.get("details") == "1"
    form = vote_form(
        paper, Listing([paper], request, back), voted=state.voted, details=details, swapped=True
    )
    return HttpResponse(form)


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """Ask for a paper to enter today's feed; the page answers at once and arXiv is asked by a
    job (docs/tasks.md), whose verdict the page lists. A refusal names the rule."""
    # ?paper= fills the box (the "not here yet" page links here with the id it was asked for).
    initial = {"paper": request.GET.get("paper", "")[:200]}
    form = SubmitForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {"form": form, "max_age_days": settings.SUBMIT_MAX_AGE_DAYS}
    if request.method == "POST" and form.is_valid():
        action = ratelimits.submit_action()
        wait = ratelimits.wait_seconds(request, action)
        if wait:
            return _too_fast(request, action, wait, "community/submit.html", context)
        ratelimits.record(request, action)
        try:
            asked = request_submission(request.user, form.cleaned_data["paper"])  # type: ignore[arg-type]
        except SubmissionRefused as refused:
            context["refused"] = refused
        else:
            engine.enqueue("community.fetch_submission", asked.pk)
            messages.success(request, f"Thank you: arXiv is being asked about {asked.arxiv_id}.")
            return redirect("community:submit")
    context["requests"] = recent_requests(request.user)  # type: ignore[arg-type]
    return render(request, "community/submit.html", context)


@require_POST
def comment(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    """A new comment, or a reply when the form names its `parent`."""
    paper = get_object_or_404(Paper.objects.only(*PAPER_FIELDS), arxiv_id=arxiv_id, is_hidden=False)
    if not request.user.is_authenticated:
        return redirect_to_login(paper.get_absolute_url() + "#comments")
    form = CommentForm(request.POST)
    parent_id = _int(request.POST.get("parent"))
    context = {"paper": paper, "form": form, "parent_id": parent_id}
    if not form.is_valid():
        return render(request, "community/comment_form.html", context)
    action = ratelimits.comment_action()
    wait = ratelimits.wait_seconds(request, action)
    if wait:
        return _too_fast(request, action, wait, "community/comment_form.html", context)
    ratelimits.record(request, action)
    try:
        new = post_comment(request.user, paper.id, form.cleaned_data["body"], parent_id)
    except CommentRefused as refused:
        form.add_error("body", str(refused))
        return render(request, "community/comment_form.html", context)
    return redirect(f"{paper.get_absolute_url()}#comment-{new.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    own = _own_comment(request, comment_id)
    form = CommentForm(request.POST or None, initial={"body": own.body})
    context = {"paper": own.paper, "form": form, "editing": own}
    if request.method == "POST" and form.is_valid():
        try:
            edit_comment(request.user, own.pk, form.cleaned_data["body"])  # type: ignore[arg-type]
        except CommentRefused as refused:
            form.add_error("body", str(refused))
        else:
            return redirect(f"{own.paper.get_absolute_url()}#comment-{own.pk}")
    return render(request, "community/comment_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET asks to confirm; POST deletes (replies stay, under a "[deleted]" stub)."""
    own = _own_comment(request, comment_id)
    if request.method == "POST":
        delete_comment(request.user, own.pk)  # type: ignore[arg-type]
        messages.success(request, "Your comment is deleted.")
        return redirect(f"{own.paper.get_absolute_url()}#comments")
    return render(request, "community/comment_delete.html", {"comment": own, "paper": own.paper})


@require_POST
def collect(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    """Add the paper to one of the member's collections, or to a new one named in the form."""
    paper = get_object_or_404(Paper.objects.only(*PAPER_FIELDS), arxiv_id=arxiv_id, is_hidden=False)
    back = paper.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    member: User = request.user
    choices = list(Collection.objects.filter(owner=member).values_list("id", "name"))
    form = AddToCollectionForm(request.POST, choices=choices)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(error) for error in form.non_field_errors()) or "Choose a collection.",
        )
        return redirect(back)
    try:
        target = _collection_for(member, form.cleaned_data)
        added = add_paper(member, target.pk, paper.id)
    except CollectionRefused as refused:
        messages.error(request, str(refused))
        return redirect(back)
    verb = "Added to" if added else "Already in"
    messages.success(request, f"{verb} your collection “{target.name}”.")
    return redirect(back)


@require_safe
def collection(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """A collection's shareable page; a private one is a 404 to all but its owner."""
    try:
        shown = visible_collection(request.user, username, slug)
    except Collection.DoesNotExist as error:
        raise Http404("No such collection.") from error
    ids = collection_papers(shown).values_list("id", flat=True)
    try:
        feed = feeds.paginate(ids, request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404("No such page.") from error
    own = shown.owner_id == request.user.pk
    context = {
        "collection": shown,
        "feed": feed,
        "own": own,
        "voted": voted_ids(request.user, [p.id for p in feed.papers]),
        "form": _collection_form(shown) if own else None,
    }
    return render(request, "community/collection.html", context)


@login_required
@require_POST
def collection_edit(request: HttpRequest, collection_id: int) -> HttpResponse:
    owned = _own_collection(request, collection_id)
    form = CollectionForm(request.POST)
    if form.is_valid():
        try:
            update_collection(request.user, owned.pk, **form.cleaned_data)  # type: ignore[arg-type]
        except CollectionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "The collection is saved.")
    else:
        messages.error(request, "A collection needs a name of at most 120 characters.")
    return redirect(_collection_url(owned))


@login_required
@require_POST
def collection_remove(request: HttpRequest, collection_id: int) -> HttpResponse:
    owned = _own_collection(request, collection_id)
    paper_id = _int(request.POST.get("paper"))
    if paper_id is not None and remove_paper(request.user, owned.pk, paper_id):  # type: ignore[arg-type]
        messages.success(request, "The paper is removed from the collection.")
    return redirect(_collection_url(owned))


@login_required
@require_http_methods(["GET", "POST"])
def collection_delete(request: HttpRequest, collection_id: int) -> HttpResponse:
    """GET asks to confirm; POST deletes the collection (the papers stay on the site)."""
    owned = _own_collection(request, collection_id)
    if request.method == "POST":
        delete_collection(request.user, owned.pk)  # type: ignore[arg-type]
        messages.success(request, f"Your collection “{owned.name}” is deleted.")
        return redirect("community:profile", request.user.get_username())
    return render(request, "community/collection_delete.html", {"collection": owned})


def _collection_for(member: User, data: dict[str, Any]) -> Collection:
    if data.get("collection"):
        return Collection.objects.get(pk=data["collection"], owner=member)
    return create_collection(member, data["new_name"])


def _collection_form(shown: Collection) -> CollectionForm:
    fields = ("name", "description", "is_public")
    return CollectionForm(initial={name: getattr(shown, name) for name in fields})


def _collection_url(shown: Collection) -> str:
    return reverse("community:collection", args=[shown.owner.get_username(), shown.slug])


def _own_collection(request: HttpRequest, collection_id: int) -> Collection:
    collections = Collection.objects.select_related("owner")
    return get_object_or_404(collections, pk=collection_id, owner_id=request.user.pk)


def _own_comment(request: HttpRequest, comment_id: int) -> Comment:
    """The member's own live comment; 404 when gone, 403 when someone else's."""
    comments = Comment.objects.select_related("paper").only(
        "id", "body", "author_id", "paper__id", "paper__arxiv_id", "paper__title"
    )
    found = get_object_or_404(comments, pk=comment_id, deleted_at__isnull=True, is_hidden=False)
    if found.author_id != request.user.pk:
        raise PermissionDenied("You can only change your own comments.")
    return found


def _too_fast(
    request: HttpRequest,
    action: ratelimits.Action,
    wait: int,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    context = {**context, "too_fast": ratelimits.refusal(action, wait)}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _int(value: str | None) -> int | None:
    return parse_int(value, low=1)


def _back(request: HttpRequest, paper: Paper) -> str:
    """Where the member voted from: `next` when it is a local address, else the paper page."""
    candidate = request.POST.get("next", "")
    local = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if local and candidate.startswith("/") else paper.get_absolute_url()


def _login_first(request: HttpRequest, back: str) -> HttpResponse:
    if not request.headers.get("HX-Request"):
        return redirect_to_login(back)
    # htmx would swap a login page into the button; HX-Redirect makes it load the page.
    response = HttpResponse()
    response["HX-Redirect"] = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}"
    return response


# A member's page shows at most this many submissions.
PROFILE_SUBMISSIONS = 50


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """A member's page (the community's: accounts knows nothing of votes or collections):
    their upvoted papers, newest vote first, when they share them, submissions, collections."""
    member = get_object_or_404(User, username=username, is_active=True)
    context: dict[str, Any] = {
        "member": member,
        "profile": profile_of(member),
        "own": request.user.pk == member.pk,
        "shows_upvotes": shows_upvotes(member, request.user),
        "submissions": _submissions(member),
        "collections": collections_of(member, request.user),
    }
    if context["shows_upvotes"]:
        try:
            feed = upvoted_feed(member, request.GET.get("page", 1))
        except InvalidPage as error:
            raise Http404("No such page.") from error
        context["feed"] = feed
    return render(request, "community/profile.html", context)


def _submissions(member: User) -> list[DailyEntry]:
    """The papers the member submitted to the feed, newest first."""
    entries = DailyEntry.objects.filter(submitted_by=member).select_related("paper")
    return list(entries.order_by("-submitted_at", "-id")[:PROFILE_SUBMISSIONS])

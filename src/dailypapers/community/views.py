"""The upvote button: POST the state you want; htmx gets the button back, a plain form a redirect.

`up` is the desired state rather than "toggle", so a double submit changes nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dailypapers.community.votes import set_vote
from dailypapers.papers.models import Paper

VOTE_FIELDS = ("id", "arxiv_id", "source_upvotes", "local_upvotes")


@require_POST
def vote(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    paper = get_object_or_404(Paper.objects.only(*VOTE_FIELDS), arxiv_id=arxiv_id)
    back = _back(request, paper)
    if not request.user.is_authenticated:
        return _login_first(request, back)
    up = request.POST.get("up")
    if up not in ("0", "1"):
        return HttpResponseBadRequest("up must be 1 (upvote) or 0 (take the upvote back).")
    state = set_vote(request.user, paper.id, up == "1")
    if not request.headers.get("HX-Request"):
        return redirect(back)
    paper.refresh_from_db(fields=["source_upvotes", "local_upvotes"])
    context = {"paper": paper, "voted": {paper.id} if state.voted else set(), "back": back}
    return render(request, "community/_vote.html", context)


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

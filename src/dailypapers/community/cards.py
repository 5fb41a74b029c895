"""The upvote button: on every card (a part of papers/cards.py) and on the paper page, and
what the vote view swaps in after a vote. A plain form, upgraded by htmx to swap itself.

Anonymous readers get a form that asks them to log in: no CSRF token, so the page is the
same for every anonymous reader and the page cache may keep it (docs/operations.md).
"""

from __future__ import annotations

from django.urls import reverse

from dailypapers.community.votes import voted_ids
from dailypapers.papers.cards import CardPart, Listing, escape, plural
from dailypapers.papers.models import Paper


def vote_form(
    paper: Paper,
    listing: Listing,
    *,
    voted: bool,
    details: bool = False,
    swapped: bool = False,
) -> str:
    """The form for one paper; `details`: the paper page also shows the count in its Details
    list, updated out of band when the vote view answers (`swapped`)."""
    pk, pressed = paper.pk, "true" if voted else "false"
    if listing.is_member:
        url = listing.paper_url("community:vote", paper)
        head = (
            f'<form class="vote" method="post" action="{url}" hx-post="{url}" hx-target="this" '
            f'hx-swap="outerHTML">{listing.csrf_input}'
            f'<input type="hidden" name="up" value="{0 if voted else 1}">'
            + ('<input type="hidden" name="details" value="1">' if details else "")
        )
    else:
        head = f'<form class="vote" method="get" action="{reverse("accounts:login")}">'
    upvotes = paper.upvotes
    out = (
        f'{head}<input type="hidden" name="next" value="{escape(listing.back)}">'
        f'<button type="submit" class="vote-button" id="vote-{pk}" aria-pressed="{pressed}" '
        f'aria-describedby="votes-{pk}"><span aria-hidden="true">▲</span> Upvote</button>'
        f'<span class="vote-count" id="votes-{pk}">{plural(upvotes, "upvote")}</span></form>'
    )
    if details and swapped:
        out += f'<dd id="details-upvotes-{pk}" hx-swap-oob="true">{upvotes}</dd>'
    return out


def _load(listing: Listing) -> set[int]:
    if not listing.is_member:
        return set()
    return voted_ids(listing.user, [paper.id for paper in listing.papers])


def _render(paper: Paper, listing: Listing) -> str:
    return vote_form(paper, listing, voted=paper.id in listing.loaded["vote"])


PART = CardPart("vote", "side", _render, _load)

""" "Not relevant" and "seen" on every card (a part of papers/cards.py), for members only:
anonymous pages stay the same for all. Plain forms that redirect back; where htmx is loaded
the card is removed (or its buttons updated) in place, by what the mark view answers."""

from __future__ import annotations

from dataclasses import dataclass

from dailypapers.papers.cards import CARD_TARGET, CardPart, Listing, escape
from dailypapers.papers.models import Paper
from dailypapers.recommend import feedback

# What a card's "not relevant" removes: the card, or on /for-you the pick around it.
TARGETS = (CARD_TARGET, "closest .pick")


@dataclass(frozen=True)
class State:
    seen: set[int]
    hide_seen: bool


def feedback_html(paper: Paper, listing: Listing, *, seen: bool, hide_seen: bool) -> str:
    """The two forms of one card; with "hide seen" on, marking it seen removes the card."""
    pk, url = paper.pk, listing.paper_url("recommend:mark", paper)
    target = escape(listing.target)
    back = f'<input type="hidden" name="next" value="{escape(listing.back)}">'
    if listing.target != CARD_TARGET:  # the buttons the mark view answers keep this target
        back += f'<input type="hidden" name="target" value="{target}">'
    if seen:
        button = (
            '<input type="hidden" name="on" value="0"><button type="submit" '
            f'class="feedback-button" aria-pressed="true" aria-describedby="paper-{pk}">'
            "Seen ✓</button>"
        )
    else:
        button = (
            '<button type="submit" class="feedback-button" aria-pressed="false" '
            f'aria-describedby="paper-{pk}">Mark seen</button>'
        )
    return (
        f'<div class="feedback" id="feedback-{pk}">'
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="{target}" '
        f'hx-swap="outerHTML">{listing.csrf_input}'
        f'<input type="hidden" name="kind" value="not-relevant">{back}'
        f'<button type="submit" class="feedback-button" aria-describedby="paper-{pk}">'
        "Not relevant</button></form>"
        f'<form method="post" action="{url}" hx-post="{url}" '
        f'hx-target="{target if hide_seen else f"#feedback-{pk}"}" hx-swap="outerHTML">'
        f'{listing.csrf_input}<input type="hidden" name="kind" value="seen">{back}{button}'
        "</form></div>"
    )


def _load(listing: Listing) -> State | None:
    if not listing.is_member:
        return None
    ids = [paper.id for paper in listing.papers]
    return State(feedback.marked_ids(listing.user, ids, "seen"), feedback.hides_seen(listing.user))


def _render(paper: Paper, listing: Listing) -> str:
    state: State | None = listing.loaded["feedback"]
    if state is None:
        return ""
    return feedback_html(paper, listing, seen=paper.id in state.seen, hide_seen=state.hide_seen)


PART = CardPart("feedback", "meta", _render, _load)

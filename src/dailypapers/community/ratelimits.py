"""How fast members may vote, comment and submit: counted per member and per client address
in the accounts' Attempt table (accounts/throttle.py), so every gunicorn worker shares the
counts; each limit is a setting (VOTES_PER_MINUTE, VOTES_PER_MINUTE_PER_ADDRESS, ...) in
docs/operations.md."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from dailypapers.accounts import throttle


@dataclass(frozen=True)
class Action:
    """What a limit counts, and how a refusal names it: "You are <doing> too fast".

    A member and an address have separate limits: several members may share one address
    (a lab, a classroom), so its limit is usually the larger.
    """

    member: throttle.Limit
    address: throttle.Limit
    doing: str


def vote_action() -> Action:
    """Read on each call so a changed setting applies at once, as throttle.login_limit."""
    return Action(
        throttle.Limit("vote", settings.VOTES_PER_MINUTE, 60),
        throttle.Limit("vote", settings.VOTES_PER_MINUTE_PER_ADDRESS, 60),
        "voting",
    )


def comment_action() -> Action:
    return Action(
        throttle.Limit("comment", settings.COMMENTS_PER_MINUTE, 60),
        throttle.Limit("comment", settings.COMMENTS_PER_MINUTE_PER_ADDRESS, 60),
        "commenting",
    )


def submit_action() -> Action:
    return Action(
        throttle.Limit("submit", settings.SUBMISSIONS_PER_HOUR, 3600),
        throttle.Limit("submit", settings.SUBMISSIONS_PER_HOUR_PER_ADDRESS, 3600),
        "submitting",
    )


def wait_seconds(request: HttpRequest, action: Action) -> int:
    """Seconds until the member, and their address, may act again; 0 when they may now."""
    return max(
        throttle.wait_seconds(action.member, [_member_key(request)]),
        throttle.wait_seconds(action.address, [throttle.address_key(request)]),
    )


def record(request: HttpRequest, action: Action) -> None:
    throttle.record(action.member, [_member_key(request), throttle.address_key(request)])


def refusal(action: Action, wait: int) -> str:
    return f"You are {action.doing} too fast; try again in {wait} second{'s' if wait != 1 else ''}."


def _member_key(request: HttpRequest) -> str:
    return f"member:{request.user.pk}"

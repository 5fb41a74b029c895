"""How fast members may vote, comment and submit: counted per member and per client address,
one RateCount row each, so every gunicorn worker (and every host) shares the counts; each
limit is a setting (VOTES_PER_MINUTE, VOTES_PER_MINUTE_PER_ADDRESS, ...).

A key's window opens with its first action and lasts the limit's window; the next action
after it ends opens a new one. Why a row and not the cache: docs/community.md, "Rate limits".
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest

from dailypapers.accounts import throttle
from dailypapers.community.models import RateCount

TABLE = RateCount._meta.db_table
# One record in this many also deletes the rows whose window has ended.
CLEANUP_EVERY = 500


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
    now = time.time()
    counted = _counted(request, action)
    subjects = ", ".join(["%s"] * len(counted))
    with connection.cursor() as cursor:  # plain SQL, as record's: this runs on every vote
        cursor.execute(
            f"SELECT subject, ends_at, actions FROM {TABLE} "
            f"WHERE subject IN ({subjects}) AND ends_at > %s",
            [*counted, now],
        )
        rows = cursor.fetchall()
    waits = [
        ends_at - now for subject, ends_at, actions in rows if actions >= counted[subject].count
    ]
    return max([max(1, math.ceil(wait)) for wait in waits], default=0)


def record(request: HttpRequest, action: Action) -> None:
    """Count one action against the member and their address: one statement, which opens a
    new window for a key whose window has ended. Refused actions are not recorded, so a
    member over their limit does not use up their address's."""
    now = time.time()
    counted = _counted(request, action)
    rows: list[str | float] = []
    for subject, limit in counted.items():
        rows += [subject, now + limit.window]
    values = ", ".join(["(%s, %s, 1)"] * len(counted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (subject, ends_at, actions) VALUES {values} "
            "ON CONFLICT (subject) DO UPDATE SET "
            f"actions = CASE WHEN {TABLE}.ends_at <= %s THEN 1 ELSE {TABLE}.actions + 1 END, "
            f"ends_at = CASE WHEN {TABLE}.ends_at <= %s THEN excluded.ends_at "
            f"ELSE {TABLE}.ends_at END",
            [*rows, now, now],
        )
    if random.randrange(CLEANUP_EVERY) == 0:
        # After the commit: inside a vote's transaction, deleting rows that other votes hold
        # locked could deadlock with them on PostgreSQL.
        transaction.on_commit(RateCount.objects.filter(ends_at__lte=now).delete)


def refusal(action: Action, wait: int) -> str:
    return f"You are {action.doing} too fast; try again in {wait} second{'s' if wait != 1 else ''}."


def _counted(request: HttpRequest, action: Action) -> dict[str, throttle.Limit]:
    """The rows this action counts in, each with its limit: the member's and the address's."""
    member = f"member:{request.user.pk}"
    return {
        f"{action.member.action}:{action.member.window}:{member}": action.member,
        f"{action.address.action}:{action.address.window}:{throttle.address_key(request)}": (
            action.address
        ),
    }

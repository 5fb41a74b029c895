"""Votes: one per member per paper, and the local count always equals the vote rows,
even with many members voting at once on the same papers (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count

from dailypapers.community.models import Vote
from dailypapers.community.votes import set_vote, toggle_vote, voted_ids
from dailypapers.papers.models import Paper

User = get_user_model()


def make_paper(n: int, source_upvotes: int = 0) -> Paper:
    return Paper.objects.create(
        arxiv_id=f"2505.{n:05d}", title=f"Paper {n}", source_upvotes=source_upvotes
    )


@pytest.mark.django_db
def test_vote_adds_to_the_source_count_and_is_idempotent() -> None:
    paper = make_paper(1, source_upvotes=12)
    ada = User.objects.create_user("ada", password="x")
    assert set_vote(ada, paper.id, True).upvotes == 13
    assert set_vote(ada, paper.id, True).upvotes == 13  # the same form twice
    assert Vote.objects.count() == 1
    state = toggle_vote(ada, paper.id)
    assert (state.voted, state.upvotes) == (False, 12)
    assert set_vote(ada, paper.id, False).upvotes == 12
    paper.refresh_from_db()
    assert paper.local_upvotes == 0


@pytest.mark.django_db
def test_voted_ids_for_a_page() -> None:
    papers = [make_paper(n) for n in range(3)]
    ada = User.objects.create_user("ada", password="x")
    set_vote(ada, papers[1].id, True)
    assert voted_ids(ada, [p.id for p in papers]) == {papers[1].id}


@pytest.mark.django_db
def test_unknown_paper_is_refused() -> None:
    ada = User.objects.create_user("ada", password="x")
    with pytest.raises(Paper.DoesNotExist):
        set_vote(ada, 999_999, True)


@pytest.mark.django_db
def test_what_runs_with_a_vote_shares_its_transaction() -> None:
    """The vote view counts the vote against the rate limits in the vote's transaction:
    when that fails, the vote is not kept either."""
    paper = make_paper(1)
    ada = User.objects.create_user("ada", password="x")

    def fail() -> None:
        raise RuntimeError("the rate limit could not be counted")

    with pytest.raises(RuntimeError):
        set_vote(ada, paper.id, True, then=fail)
    paper.refresh_from_db()
    assert (paper.local_upvotes, Vote.objects.count()) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_keep_counts_true() -> None:
    papers = [make_paper(n, source_upvotes=n) for n in range(3)]
    members = [User.objects.create_user(f"member{n}", password="x") for n in range(12)]
    errors: list[BaseException] = []

    def vote_at_random(member: object, seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(25):
                set_vote(member, rng.choice(papers).id, rng.random() < 0.6)  # type: ignore[arg-type]
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote_at_random, args=(m, i)) for i, m in enumerate(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = dict(Vote.objects.values_list("paper").annotate(n=Count("id")))
    for paper in Paper.objects.all():
        assert paper.local_upvotes == rows.get(paper.id, 0)
    assert Vote.objects.count() > 0
    duplicates = Vote.objects.values("user", "paper").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()

"""The trending page: recent papers by fading upvotes, measured to the latest feed day."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time

import pytest
from django.test import Client

from dailypapers.papers import feeds
from dailypapers.papers.feeds import trending_ids, trending_window
from tests.papers.factories import add_paper, listed_titles

pytestmark = pytest.mark.django_db


def test_trending_ranks_votes_fading_with_age(client: Client) -> None:
    # Ages are measured to the end of the latest day, 2025-01-11 00:00 (docs/ranking.md).
    add_paper(date(2025, 1, 10), title="Fresh, no votes")  # 1 / 26^1.5 = 0.0075
    add_paper(date(2025, 1, 10), title="Fresh, three votes", upvotes=3)  # 4 / 26^1.5 = 0.030
    add_paper(date(2025, 1, 8), title="Older, fifty votes", upvotes=50)  # 51 / 74^1.5 = 0.080
    add_paper(date(2024, 12, 1), title="Outside the window", upvotes=500)
    response = client.get("/trending")
    assert response.status_code == 200
    assert listed_titles(response) == [
        "Older, fifty votes",
        "Fresh, three votes",
        "Fresh, no votes",
    ]


def test_submission_time_counts_when_known() -> None:
    add_paper(date(2025, 1, 10), title="Morning", submitted_at=datetime(2025, 1, 10, 8, tzinfo=UTC))
    late = add_paper(date(2025, 1, 10), submitted_at=datetime(2025, 1, 10, 20, tzinfo=UTC))
    window = trending_window(datetime(2025, 1, 10, 22, tzinfo=UTC))
    assert window is not None
    assert window.reference == datetime(2025, 1, 10, 22, tzinfo=UTC)
    assert trending_ids(window)[0] == late.id


def test_trending_category_filter(client: Client) -> None:
    add_paper(date(2025, 1, 10), title="Language", categories=("cs.AI", "cs.CL"))
    add_paper(date(2025, 1, 10), title="Vision", categories=("cs.CV",), upvotes=10)
    response = client.get("/trending?cat=cs.CL")
    assert listed_titles(response) == ["Language"]
    assert '<option value="cs.CL" selected>cs.CL (1)</option>' in response.content.decode()


def test_trending_with_an_empty_feed(client: Client) -> None:
    response = client.get("/trending")
    assert response.status_code == 200
    assert "nothing is trending yet" in response.content.decode()


@pytest.mark.parametrize("voted_share", [0.0, 0.05, 0.3])
def test_the_first_pages_read_alone_rank_as_the_whole_window(voted_share: float) -> None:
    """Reading only the first `needed` unvoted papers gives the same top as scoring all."""
    rng = random.Random(3)
    for _ in range(120):
        day = date(2025, 1, rng.randint(6, 12))
        submitted = None
        if rng.random() < voted_share / 2:
            submitted = datetime.combine(day, time(rng.randint(0, 23)), tzinfo=UTC)
        add_paper(
            day=day,
            upvotes=2 if rng.random() < voted_share else 0,
            published=datetime(2025, 1, rng.randint(1, 12), rng.randint(0, 23), tzinfo=UTC),
            submitted_at=submitted,
            categories=rng.choice([("cs.CL",), ("cs.LG",)]),
        )
    window = feeds.TrendingWindow(
        start=date(2025, 1, 6), end=date(2025, 1, 12), reference=datetime(2025, 1, 13, tzinfo=UTC)
    )
    for category in ("", "cs.CL"):
        whole = feeds.trending_ids(window, category)
        for needed in (1, 7, 20, 30, 45, 61, 200):
            assert feeds.trending_ids(window, category, needed) == whole[:needed]

"""The trending formula's ordering properties, and the reference time it measures ages to."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dailypapers.papers.ranking import age_hours, entered_at, reference_time, trending_score

GRAVITY = 1.5


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        # (upvotes, age in hours): more votes at equal age ranks higher
        ((10, 5.0), (3, 5.0)),
        ((1, 48.0), (0, 48.0)),
        # older ranks lower at equal votes
        ((10, 2.0), (10, 30.0)),
        ((0, 1.0), (0, 20.0)),
        # a much upvoted paper from two days ago beats a fresh one nobody voted for
        ((100, 48.0), (0, 1.0)),
        # but last week's votes do not keep a paper above yesterday's favourite
        ((10, 24.0), (30, 168.0)),
    ],
)
def test_ordering(better: tuple[int, float], worse: tuple[int, float]) -> None:
    assert trending_score(*better, GRAVITY) > trending_score(*worse, GRAVITY)


@pytest.mark.parametrize(
    ("upvotes", "age", "score"),
    [
        (0, 0.0, 1 / 2**1.5),
        (20, 30.0, 21 / 32**1.5),
        (100, 48.0, 101 / 50**1.5),
    ],
)
def test_worked_examples_of_docs_ranking(upvotes: int, age: float, score: float) -> None:
    assert trending_score(upvotes, age, GRAVITY) == pytest.approx(score)
    assert round(trending_score(20, 30.0, GRAVITY), 4) == 0.116  # docs/ranking.md


def test_higher_gravity_punishes_age_more() -> None:
    old, fresh = (100, 72.0), (5, 6.0)
    assert trending_score(*old, 1.0) > trending_score(*fresh, 1.0)
    assert trending_score(*old, 2.0) < trending_score(*fresh, 2.0)


def test_negative_age_counts_as_just_arrived() -> None:
    assert trending_score(3, -5.0, GRAVITY) == trending_score(3, 0.0, GRAVITY)


@pytest.mark.parametrize(
    ("now", "reference"),
    [
        # Ingestion paused weeks ago: ages are measured to the end of the latest feed day.
        (datetime(2026, 9, 30, 12, tzinfo=UTC), datetime(2026, 8, 21, tzinfo=UTC)),
        # During the latest day itself, now is the reference.
        (datetime(2026, 8, 20, 15, tzinfo=UTC), datetime(2026, 8, 20, 15, tzinfo=UTC)),
    ],
)
def test_reference_time_is_clamped_to_the_latest_feed_day(
    now: datetime, reference: datetime
) -> None:
    assert reference_time(now, date(2026, 8, 20), UTC) == reference


def test_age_is_measured_from_submission_else_start_of_the_feed_day() -> None:
    reference = datetime(2026, 8, 21, tzinfo=UTC)
    submitted = datetime(2026, 8, 20, 18, tzinfo=UTC)
    assert age_hours(entered_at(submitted, date(2026, 8, 20), UTC), reference) == 6.0
    assert age_hours(entered_at(None, date(2026, 8, 20), UTC), reference) == 24.0

"""The trending score: upvotes decaying with the time since a paper entered the feed.

Pure functions of numbers and times, so the formula is testable without a database.
See docs/ranking.md for the reasoning and a worked example.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def trending_score(upvotes: int, age_hours: float, gravity: float) -> float:
    """(upvotes + 1) / (age_hours + 2) ** gravity; see docs/ranking.md.

    The +1 lets papers nobody has voted for yet still rank by freshness; the +2 keeps a
    paper that has just arrived from dividing by almost nothing.
    """
    return (max(upvotes, 0) + 1) / (max(age_hours, 0.0) + 2) ** gravity


def reference_time(now: datetime, latest_day: date, tz: tzinfo) -> datetime:
    """Now, but never later than the end of the latest feed day.

    When ingestion pauses (or on the sample corpus) every paper would otherwise be weeks old
    and the ranking would collapse to raw vote counts; see docs/ranking.md.
    """
    end_of_latest = datetime.combine(latest_day + timedelta(days=1), time.min, tzinfo=tz)
    return min(now, end_of_latest)


def entered_at(submitted_at: datetime | None, day: date, tz: tzinfo) -> datetime:
    """When a paper entered the feed: its submission time, else the start of its feed day."""
    return submitted_at or datetime.combine(day, time.min, tzinfo=tz)


def age_hours(entered: datetime, reference: datetime) -> float:
    """Hours between entering the feed and the reference time; never negative."""
    return max((reference - entered).total_seconds() / 3600, 0.0)

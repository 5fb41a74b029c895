"""Feed periods (a day, an ISO week, a month): parsing them from URLs and naming them.

Pure date arithmetic; which neighbouring period has papers is a database question for feeds.py.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Kind = Literal["day", "week", "month"]
KINDS: tuple[Kind, ...] = ("day", "week", "month")

# Only the canonical spellings: one URL per period keeps links and caches simple.
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    """An inclusive range of feed days with the kind of page that shows it."""

    kind: Kind
    start: date
    end: date

    @property
    def slug(self) -> str:
        """The URL spelling: 2025-01-03, 2025-W01 or 2025-01."""
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        return f"{self.start.year:04d}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """How a reader sees it: 'Friday 3 January 2025', 'Week 1 of 2025', 'January 2025'."""
        if self.kind == "day":
            return f"{self.start:%A} {self.start.day} {self.start:%B %Y}"
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"Week {week} of {year}"
        return f"{self.start:%B %Y}"

    @property
    def range_label(self) -> str:
        """The days a week covers, e.g. '30 Dec 2024 – 5 Jan 2025'; empty for days and months."""
        if self.kind != "week":
            return ""
        return f"{self.start.day} {self.start:%b %Y} – {self.end.day} {self.end:%b %Y}"


def day_period(day: date) -> Period:
    return Period("day", day, day)


def week_period(day: date) -> Period:
    """The ISO week (Monday to Sunday) containing `day`."""
    start = day - timedelta(days=day.weekday())
    return Period("week", start, start + timedelta(days=6))


def month_period(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period("month", day.replace(day=1), day.replace(day=last))


def period_containing(kind: Kind, day: date) -> Period:
    return {"day": day_period, "week": week_period, "month": month_period}[kind](day)


def parse_period(kind: Kind, text: str) -> Period:
    """Read a period from its URL spelling; ValueError when malformed or not a real date."""
    try:
        return _parse(kind, text)
    except OverflowError as error:  # a week running past 9999-12-31
        raise ValueError(f"out of range: {text!r}") from error


def _parse(kind: Kind, text: str) -> Period:
    if kind == "day":
        match = _DAY.fullmatch(text)
        if match:
            return day_period(date(*map(int, match.groups())))
    elif kind == "week":
        match = _WEEK.fullmatch(text)
        if match:
            # fromisocalendar rejects week 53 in years that have only 52.
            return week_period(date.fromisocalendar(int(match[1]), int(match[2]), 1))
    elif kind == "month":
        match = _MONTH.fullmatch(text)
        if match:
            return month_period(date(int(match[1]), int(match[2]), 1))
    raise ValueError(f"not a {kind}: {text!r}")

"""Period parsing: canonical URL spellings only, real dates only, ISO weeks across years."""

from __future__ import annotations

from datetime import date

import pytest

from dailypapers.papers.periods import parse_period, period_containing


@pytest.mark.parametrize(
    ("kind", "text", "start", "end", "label"),
    [
        ("day", "2025-01-03", date(2025, 1, 3), date(2025, 1, 3), "Friday 3 January 2025"),
        ("day", "2024-02-29", date(2024, 2, 29), date(2024, 2, 29), "Thursday 29 February 2024"),
        # ISO week 1 of 2025 starts in December 2024.
        ("week", "2025-W01", date(2024, 12, 30), date(2025, 1, 5), "Week 1 of 2025"),
        ("week", "2025-W52", date(2025, 12, 22), date(2025, 12, 28), "Week 52 of 2025"),
        # 2020 and 2026 have a week 53, which ends in January of the next year.
        ("week", "2020-W53", date(2020, 12, 28), date(2021, 1, 3), "Week 53 of 2020"),
        ("week", "2026-W53", date(2026, 12, 28), date(2027, 1, 3), "Week 53 of 2026"),
        ("month", "2025-02", date(2025, 2, 1), date(2025, 2, 28), "February 2025"),
        ("month", "2024-02", date(2024, 2, 1), date(2024, 2, 29), "February 2024"),
        ("month", "2025-12", date(2025, 12, 1), date(2025, 12, 31), "December 2025"),
    ],
)
def test_valid_periods(kind: str, text: str, start: date, end: date, label: str) -> None:
    period = parse_period(kind, text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period.slug == text


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("day", "2025-02-30"),
        ("day", "2025-13-01"),
        ("day", "2025-1-3"),
        ("day", "20250103"),
        ("day", "0000-01-01"),
        ("day", "2025-01-03x"),
        ("week", "2025-W53"),  # 2025 has only 52 ISO weeks
        ("week", "2025-W00"),
        ("week", "2025-w01"),
        ("week", "2025-W1"),
        ("week", "9999-W52"),  # would end in year 10000
        ("month", "2025-13"),
        ("month", "2025-00"),
        ("month", "2025-1"),
        ("month", "abcd-ef"),
    ],
)
def test_malformed_periods_are_rejected(kind: str, text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(kind, text)


@pytest.mark.parametrize(
    ("kind", "day", "slug"),
    [
        ("day", date(2021, 1, 1), "2021-01-01"),
        ("week", date(2021, 1, 1), "2020-W53"),
        ("week", date(2024, 12, 31), "2025-W01"),
        ("month", date(2021, 1, 1), "2021-01"),
    ],
)
def test_period_containing_a_day(kind: str, day: date, slug: str) -> None:
    assert period_containing(kind, day).slug == slug


def test_week_shows_the_days_it_covers() -> None:
    assert parse_period("week", "2025-W01").range_label == "30 Dec 2024 – 5 Jan 2025"

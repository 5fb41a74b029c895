"""Reading settings: feed pages and the trending formula (docs/ranking.md)."""

from __future__ import annotations

from dailypapers.config import env

FEED_PAGE_SIZE = env("FEED_PAGE_SIZE", "30", "Papers per feed page.", int)
TRENDING_WINDOW_DAYS = env(
    "TRENDING_WINDOW_DAYS",
    "7",
    "How many days of the feed the trending page ranks (see docs/ranking.md).",
    int,
)
TRENDING_GRAVITY = env(
    "TRENDING_GRAVITY",
    "1.5",
    "How fast a paper's trending score decays with age (see docs/ranking.md).",
    float,
)

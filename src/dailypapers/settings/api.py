"""JSON API and RSS/Atom feed settings; see docs/api.md."""

from __future__ import annotations

from dailypapers.config import env

API_READS_PER_MINUTE = env(
    "API_READS_PER_MINUTE",
    "600",
    "Most API reads (JSON and Markdown) per minute from one client address, counted in the "
    "shared cache (reads the page cache answers are not counted); 0: no limit.",
    int,
)
API_TOKENS_PER_MEMBER = env(
    "API_TOKENS_PER_MEMBER", "20", "Most unrevoked API tokens one member may keep.", int
)
API_FEED_ITEMS = env("API_FEED_ITEMS", "50", "Papers in each RSS or Atom feed.", int)

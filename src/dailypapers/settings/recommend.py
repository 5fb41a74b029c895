"""Settings of the personal feed and library import; see docs/recommend.md."""

from __future__ import annotations

from dailypapers.config import env

FOR_YOU_WINDOW_DAYS = env(
    "FOR_YOU_WINDOW_DAYS",
    "7",
    "Feed days /for-you ranks for a member (the latest and before).",
    int,
)
FOR_YOU_MAX_SEEDS = env(
    "FOR_YOU_MAX_SEEDS",
    "2000",
    "Most signals (upvoted, collected, imported papers) one member's feed is ranked from.",
    int,
)
FOR_YOU_ACTIVE_DAYS = env(
    "FOR_YOU_ACTIVE_DAYS",
    "14",
    "Members who opened /for-you within this many days get new papers scored as they arrive.",
    int,
)
FOR_YOU_DIGEST_ITEMS = env(
    "FOR_YOU_DIGEST_ITEMS", "5", "Papers in the For you section of a member's digest.", int
)
LIBRARY_IMPORT_MAX_BYTES = env(
    "LIBRARY_IMPORT_MAX_BYTES", "20000000", "Largest library file a member may import.", int
)
LIBRARY_IMPORT_INLINE_ENTRIES = env(
    "LIBRARY_IMPORT_INLINE_ENTRIES",
    "300",
    "Library files with at most this many entries are imported during the request; larger "
    "ones by the background job (library/tasks.py run_import).",
    int,
)

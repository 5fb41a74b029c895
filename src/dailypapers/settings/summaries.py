"""Summary and keyword settings; see docs/summaries.md."""

from __future__ import annotations

from dailypapers.config import as_bool, env

SUMMARIES_ENABLED = env(
    "SUMMARIES_ENABLED",
    "true",
    "Make a one-sentence summary and keywords per paper, show them on cards and return them "
    "in the API (ai_summary, ai_keywords); false hides them and stops making them.",
    as_bool,
)
SUMMARIES_BATCH_SIZE = env(
    "SUMMARIES_BATCH_SIZE",
    "64",
    "Papers summarized per embedding call and per database write by `summaries update`.",
    int,
)

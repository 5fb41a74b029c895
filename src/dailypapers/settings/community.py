"""Community settings: submissions, collections, comments and their rate limits; see
docs/community.md and docs/operations.md."""

from __future__ import annotations

from dailypapers.config import env

SUBMIT_MAX_AGE_DAYS = env(
    "SUBMIT_MAX_AGE_DAYS",
    "14",
    "Oldest paper (days since it appeared on arXiv) a member may submit to the daily feed.",
    int,
)
SUBMIT_DAILY_LIMIT = env(
    "SUBMIT_DAILY_LIMIT", "3", "Most papers one member may submit per day.", int
)


COLLECTIONS_PER_MEMBER = env(
    "COLLECTIONS_PER_MEMBER", "100", "Most collections one member may keep.", int
)
COMMENT_MAX_LENGTH = env("COMMENT_MAX_LENGTH", "10000", "Longest comment, in characters.", int)
# Rate limits, per member and per client address (several members may share an address);
# see docs/operations.md.
VOTES_PER_MINUTE = env("VOTES_PER_MINUTE", "60", "Most votes per minute from one member.", int)
VOTES_PER_MINUTE_PER_ADDRESS = env(
    "VOTES_PER_MINUTE_PER_ADDRESS", "300", "Most votes per minute from one client address.", int
)
COMMENTS_PER_MINUTE = env(
    "COMMENTS_PER_MINUTE", "10", "Most comments and replies per minute from one member.", int
)
COMMENTS_PER_MINUTE_PER_ADDRESS = env(
    "COMMENTS_PER_MINUTE_PER_ADDRESS",
    "30",
    "Most comments and replies per minute from one client address.",
    int,
)
SUBMISSIONS_PER_HOUR = env(
    "SUBMISSIONS_PER_HOUR", "10", "Most submission attempts per hour from one member.", int
)
SUBMISSIONS_PER_HOUR_PER_ADDRESS = env(
    "SUBMISSIONS_PER_HOUR_PER_ADDRESS",
    "30",
    "Most submission attempts per hour from one client address.",
    int,
)

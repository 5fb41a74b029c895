"""The API's query parameters, read and checked: Hugging Face's names and ranges. Anything
malformed is a 400 naming the parameter, never a guess (docs/api.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import QueryDict

from dailypapers.api.responses import ApiError
from dailypapers.papers.periods import Kind, Period, parse_period
from dailypapers.search.query import MAX_QUERY_CHARS

SORTS = ("publishedAt", "trending")
FLAGS = {"": False, "0": False, "false": False, "1": True, "true": True}
MAX_LIMIT = 100
DEFAULT_LIMIT = 50
DEFAULT_SEARCH_LIMIT = 20
MAX_PAGE = 10_000  # deeper than the feed goes; keeps a hostile p= from meaning anything
CATEGORY = re.compile(r"[\w.\-]{1,64}")
# A username as Django allows them (letters, digits, @.+-_), up to its 150 characters.
SUBMITTER = re.compile(r"[\w.@+\-]{1,150}")
EXAMPLES: dict[Kind, str] = {"day": "2026-06-12", "week": "2026-W24", "month": "2026-06"}
PERIOD_PARAMS: dict[str, Kind] = {"date": "day", "week": "week", "month": "month"}


@dataclass(frozen=True)
class DailyQuery:
    """What /api/daily_papers (and the feeds) list: which days, whose, in what order, which page."""

    period: Period | None = None
    submitter: str = ""
    category: str = ""
    sort: str = ""  # "" is the site's feed order; see docs/api.md
    has_code: bool = False  # only papers naming a code repository (has_code=1)
    page: int = 0
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class SearchParams:
    q: str
    limit: int


def daily_query(params: QueryDict) -> DailyQuery:
    return DailyQuery(
        period=_period(params),
        submitter=_matching(params, "submitter", SUBMITTER, "a username"),
        category=_matching(params, "cat", CATEGORY, "an arXiv category such as cs.CL"),
        sort=_sort(params),
        page=_integer(params, "p", 0, MAX_PAGE, 0),
        limit=_integer(params, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT),
        has_code=_flag(params, "has_code"),
    )


def search_params(params: QueryDict) -> SearchParams:
    q = params.get("q", "")
    if not q.strip():
        raise ApiError(400, "q is required: the words to search for.")
    if len(q) > MAX_QUERY_CHARS or "\x00" in q:
        raise ApiError(400, f"q must be at most {MAX_QUERY_CHARS} characters of text.")
    return SearchParams(q.strip(), _integer(params, "limit", 1, MAX_LIMIT, DEFAULT_SEARCH_LIMIT))


def category(text: str) -> str:
    if not CATEGORY.fullmatch(text):
        raise ApiError(404, f"No category {text[:64]!r}.")
    return text


def _period(params: QueryDict) -> Period | None:
    given = [(name, kind) for name, kind in PERIOD_PARAMS.items() if name in params]
    if len(given) > 1:
        raise ApiError(400, "Give at most one of date, week and month.")
    if not given:
        return None
    name, kind = given[0]
    try:
        return parse_period(kind, params.get(name, ""))
    except ValueError:
        raise ApiError(
            400, f"{name} must be a real {kind} written like {EXAMPLES[kind]}."
        ) from None


def _sort(params: QueryDict) -> str:
    sort = params.get("sort", "")
    if "sort" in params and sort not in SORTS:
        raise ApiError(400, "sort must be publishedAt or trending.")
    return sort


def _flag(params: QueryDict, name: str) -> bool:
    value = params.get(name, "").lower()
    if value not in FLAGS:
        raise ApiError(400, f"{name} must be 1 (or true) or 0 (or false).")
    return FLAGS[value]


def _integer(params: QueryDict, name: str, low: int, high: int, default: int) -> int:
    if name not in params:
        return default
    text = params.get(name, "")
    if not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:
        raise ApiError(400, f"{name} must be a whole number from {low} to {high}.")
    return int(text)


def _matching(params: QueryDict, name: str, pattern: re.Pattern[str], what: str) -> str:
    if name not in params:
        return ""
    text = params.get(name, "")
    if not pattern.fullmatch(text):
        raise ApiError(400, f"{name} must be {what}.")
    return text

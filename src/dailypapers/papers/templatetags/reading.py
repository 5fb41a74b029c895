"""Filters and tags the reading templates share: excerpts, period links, author lists.

Everything returns plain strings; autoescaping still applies to what comes from sources.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from dailypapers.papers.models import Paper
from dailypapers.papers.periods import Period

register = template.Library()

SHOWN_AUTHORS = 3
# Math delimiters as KaTeX reads them: $$ before $, and an escaped \$ is no delimiter.
_DOLLARS = re.compile(r"\\.|\$\$|\$", re.DOTALL)


@register.filter
def excerpt(text: str, length: int = 300) -> str:
    """The start of an abstract, cut at a word, never inside $...$ math."""
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    opened = _unclosed_math(cut)
    if opened is not None:
        # An unclosed formula would show as raw TeX or swallow the rest of the card.
        cut = cut[:opened]
    return cut.rstrip(" ,;:.") + "…"


@register.filter
def author_line(authors: list[str]) -> str:
    """The first three authors and how many more: 'Ada Lovelace, Alan Turing + 4 more'."""
    line = ", ".join(authors[:SHOWN_AUTHORS])
    more = len(authors) - SHOWN_AUTHORS
    return f"{line} + {more} more" if more > 0 else line


@register.simple_tag
def card_date(paper: Paper) -> str:
    """A <time> for when the paper appeared: published, else the day it entered the feed.

    Formatted here rather than with |date: a listing shows thirty and the filter is slow.
    """
    moment = paper.published
    day = timezone.localtime(moment).date() if moment else _feed_day(paper)
    if day is None:
        return ""
    return format_html(
        '<time datetime="{}">{} {}</time>', day.isoformat(), day.day, day.strftime("%b %Y")
    )


@register.filter
def http_url(url: str) -> str:
    """The URL if it is http(s), else nothing: a source must not slip in javascript: links."""
    return url if url.lower().startswith(("https://", "http://")) else ""


@register.simple_tag
def period_url(period: Period | None, category: str = "", has_code: bool = False) -> str:
    """The page of `period`, keeping the category and "has code" filters (not the page)."""
    if period is None:
        return ""
    url = reverse(f"papers:{period.kind}", args=[period.slug])
    query = {**({"cat": category} if category else {}), **({"code": "1"} if has_code else {})}
    return f"{url}?{urlencode(query)}" if query else url


def _feed_day(paper: Paper) -> date | None:
    try:
        return paper.daily_entry.day
    except ObjectDoesNotExist:
        return None


def _unclosed_math(text: str) -> int | None:
    """Where a $ or $$ formula opens without closing in `text`, or None; \\$ is a dollar."""
    opener, start = "", 0
    for match in _DOLLARS.finditer(text):
        delimiter = match.group(0)
        if delimiter.startswith("\\"):
            continue
        if not opener:
            opener, start = delimiter, match.start()
        elif opener == delimiter:
            opener = ""
    return start if opener else None

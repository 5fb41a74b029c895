"""Filters and tags the reading templates share: excerpts, period links, author lists.

Everything returns plain strings; autoescaping still applies to what comes from sources.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from dailypapers.papers.periods import Period

register = template.Library()

SHOWN_AUTHORS = 3


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
def first_authors(authors: list[str]) -> list[str]:
    return authors[:SHOWN_AUTHORS]


@register.filter
def more_authors(authors: list[str]) -> int:
    """How many authors a card leaves out (shown as '+ N more')."""
    return max(len(authors) - SHOWN_AUTHORS, 0)


@register.filter
def http_url(url: str) -> str:
    """The URL if it is http(s), else nothing: a source must not slip in javascript: links."""
    return url if url.lower().startswith(("https://", "http://")) else ""


@register.simple_tag
def period_url(period: Period | None, category: str = "") -> str:
    """The page of `period`, keeping the category filter (not the page number)."""
    if period is None:
        return ""
    url = reverse(f"papers:{period.kind}", args=[period.slug])
    return f"{url}?{urlencode({'cat': category})}" if category else url


def _unclosed_math(text: str) -> int | None:
    """Where a $ or $$ formula opens without closing in `text`, or None; \\$ is a dollar."""
    opener, start, i = "", 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "$":
            delimiter = "$$" if text.startswith("$$", i) else "$"
            if not opener:
                opener, start = delimiter, i
            elif opener == delimiter:
                opener = ""
            i += len(delimiter)
            continue
        i += 1
    return start if opener else None

"""Plain-text helpers of the reading pages and cards: an abstract's excerpt, the author
line, a source's link checked to be http(s)."""

from __future__ import annotations

import re

SHOWN_AUTHORS = 3
# Math delimiters as KaTeX reads them: $$ before $, and an escaped \$ is no delimiter.
_DOLLARS = re.compile(r"\\.|\$\$|\$", re.DOTALL)


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


def author_line(authors: list[str]) -> str:
    """The first three authors and how many more: 'Ada Lovelace, Alan Turing + 4 more'."""
    line = ", ".join(authors[:SHOWN_AUTHORS])
    more = len(authors) - SHOWN_AUTHORS
    return f"{line} + {more} more" if more > 0 else line


def http_url(url: str) -> str:
    """The URL if it is http(s), else nothing: a source must not slip in javascript: links."""
    return url if url.lower().startswith(("https://", "http://")) else ""


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

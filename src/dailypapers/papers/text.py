"""Plain-text helpers of the reading pages and cards: an abstract's excerpt, the author
line, a source's link checked to be http(s)."""

from __future__ import annotations

import re

SHOWN_AUTHORS = 3
# Math delimiters as KaTeX reads them: $$ before $, and an escaped \$ is no delimiter.
# \( \) \[ \] delimit formulas; any other backslash pair (\$ a dollar) is skipped.
_MATH_DELIMITER = re.compile(r"\\[()\[\]]|\\.|\$\$?", re.DOTALL)
_CLOSER = {"$$": "$$", "$": "$", "\\(": "\\)", "\\[": "\\]"}


def excerpt(text: str, length: int = 300) -> str:
    """The start of an abstract, cut at a word, never inside $...$ math."""
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    opened = _math(cut)[1]
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


def math_spans(text: str) -> list[tuple[int, int]]:
    """Where formulas sit in `text` ($...$, $$...$$, \\(...\\), \\[...\\]) as (start, end)
    pairs; an unclosed one runs to the end. \\$ is a dollar."""
    return _math(text)[0]


def _math(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """The formulas' spans, and where the unclosed one opens (None when all close)."""
    spans: list[tuple[int, int]] = []
    opener, start = "", 0
    for match in _MATH_DELIMITER.finditer(text):
        delimiter = match[0]
        if not opener and delimiter in _CLOSER:
            opener, start = delimiter, match.start()
        elif opener and delimiter == _CLOSER[opener]:
            spans.append((start, match.end()))
            opener = ""
    if opener:
        spans.append((start, len(text)))
    return spans, start if opener else None

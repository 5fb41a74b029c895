"""Showing why a paper matched: the query's words marked in its title and in an excerpt.

Words match by stem with the stemmer the lexical index uses, so "networks" marks "network".
The marks go into the source as two control characters, then papers/tex.py turns the TeX
outside math into HTML (escaping everything) and the characters into <mark> elements; nothing
inside TeX math or a command's name is marked, so KaTeX still sees whole formulas.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

import tantivy
from django.utils.safestring import SafeString, mark_safe

from dailypapers.papers.tex import tex_html
from dailypapers.papers.text import math_spans
from dailypapers.search.lexical import STOP_WORDS

EXCERPT_CHARS = 300
LEAD_CHARS = 80  # context kept before the first match when the excerpt starts mid-abstract
# Letters and digits, as tantivy's simple tokenizer splits text.
_TOKEN = re.compile(r"[^\W_]+")
# Where a mark opens and closes while the text is still TeX source.
_OPEN, _CLOSE = "\x01", "\x02"
_ANALYZER = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    .filter(tantivy.Filter.lowercase())
    .filter(tantivy.Filter.stemmer("english"))
    .build()
)


def query_stems(words: Sequence[str]) -> frozenset[str]:
    """The stems to mark for a query's words; stop words only when there is nothing else."""
    kept = [word for word in words if word.lower() not in STOP_WORDS] or list(words)
    return frozenset(_stem(word.lower()) for word in kept)


def highlight(text: str, stems: frozenset[str]) -> SafeString:
    """`text` as HTML (papers/tex.py, no links: it sits in a card), each word whose stem is in
    `stems` wrapped in <mark>."""
    if not stems:
        return mark_safe(tex_html(text, links=False))
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    math = math_spans(text)
    pieces, done = [], 0
    for match, _ in _matches(text, stems):
        start = match.start()
        if start and text[start - 1] == "\\":
            continue  # a command's name (\textbf), not a word of the text
        if not _inside(start, math):
            pieces += [text[done:start], _OPEN, match[0], _CLOSE]
            done = match.end()
    pieces.append(text[done:])
    shown = tex_html("".join(pieces), links=False)
    # tex_html escaped every character of `text`; the two marks are the only markup added.
    return mark_safe(shown.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


def excerpt_around(text: str, stems: frozenset[str], length: int = EXCERPT_CHARS) -> str:
    """About `length` characters of `text` showing the most query words, cut between words and
    never inside math; "…" marks where text was left out."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    math = math_spans(text)
    start = _best_start(text, stems, length, math)
    end = _cut_end(text, start, start + length, math)
    snippet = text[start:end].strip(" ,;:")
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")


def _best_start(text: str, stems: frozenset[str], length: int, math: list[tuple[int, int]]) -> int:
    """Where the window of `length` holding the most distinct query words begins."""
    matches = [(match.start(), stem) for match, stem in _matches(text, stems)]
    best, best_count = 0, len({stem for at, stem in matches if at < length})
    for at, _ in matches:
        start = max(0, at - LEAD_CHARS)
        count = len({stem for other, stem in matches if start <= other < start + length})
        if count > best_count:
            best, best_count = start, count
    if best == 0:
        return 0
    best = _word_start(text, best)
    for low, high in math:  # never open the excerpt inside a formula
        if low < best < high:
            return low
    return best


def _word_start(text: str, at: int) -> int:
    space = text.rfind(" ", 0, at)
    return space + 1 if space >= 0 else 0


def _cut_end(text: str, start: int, at: int, math: list[tuple[int, int]]) -> int:
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", start, at)
    end = space if space > start else at
    for low, high in math:
        if low < end < high:
            # A cut formula would show as raw TeX: stop before it, or after it when the
            # excerpt opens with it.
            return low if low > start else high
    return end


def _matches(text: str, stems: frozenset[str]) -> Iterator[tuple[re.Match[str], str]]:
    """The words of `text` whose stem is one of `stems`, with it. Only the words that can
    have such a stem are stemmed, found by one regular expression (_candidates): stemming
    every word of every result's abstract took 4 ms of a search page."""
    for match in _candidates(stems).finditer(text):
        stem = _stem(match[0].lower())
        if stem in stems:
            yield match, stem


@lru_cache(maxsize=256)
def _candidates(stems: frozenset[str]) -> re.Pattern[str]:
    """Whole words (as _TOKEN cuts them) that may stem to one of `stems`. The stemmer
    changes endings only, so a word begins with its stem's first two letters, but where
    the stem has one letter (the pattern then asks for that letter) and for "lying",
    "dying", "tying" ("lie", "die", "tie")."""
    starts = {stem[:2] for stem in stems}
    starts |= {stem[0] + "y" for stem in stems if len(stem) == 3 and stem.endswith("ie")}
    alternatives = "|".join(re.escape(start) for start in sorted(starts))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(low <= position < high for low, high in spans)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    tokens = _ANALYZER.analyze(word)
    return tokens[0] if tokens else word

"""Splitting an abstract into sentences and tidying the one chosen as a paper's summary.

Rule-based on purpose: arXiv abstracts are English prose with TeX math, abbreviations
(e.g., et al., Fig.) and decimals, and no sentence model ships in a package we may use.
"""

from __future__ import annotations

import re

# A word before a full stop that does not end a sentence.
ABBREVIATIONS = frozenset(
    "e.g i.e et al etc vs cf fig figs eq eqs ref refs sec resp approx no dr prof mr ms st "
    "viz ca incl ibid sect tab".split()
)
# Where a sentence may end: . ! or ? (and a closing bracket or quote), then space.
_BOUNDARY = re.compile(r"[.!?][)\]\"']?\s+")
# What may start the next sentence: a capital, a digit, math, a quote or a bracket.
_NEXT_START = re.compile(r"[A-Z0-9$\\(\[\"'“]")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")
# Openings that say nothing ("In this paper, we propose" reads as "We propose").
_FILLER_OPENINGS = re.compile(
    r"^(?:in this (?:paper|work|study|article|letter|note|manuscript|thesis)|here|herein"
    r"|in this contribution|to this end|in particular|specifically|moreover|furthermore"
    r"|additionally|in addition|however|finally|overall|thus|hence|therefore"
    r"|to (?:address|tackle|overcome|solve|bridge) (?:this|these|that|those|the|such)"
    r"(?: \w+){0,2}|building on (?:this|these|that)(?: \w+)?)\s*,\s*"
    r"|^(?:in this (?:paper|work|study)|here)\s+",
    re.IGNORECASE,
)
MAX_SUMMARY_CHARS = 300


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, whitespace collapsed; math ($...$) is never split."""
    text = " ".join(text.split())
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if _is_sentence_end(text, start, match.start(), end):
            sentences.append(text[start:end].strip())
            start = end
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if _has_words(sentence)]


def _is_sentence_end(text: str, start: int, stop: int, next_start: int) -> bool:
    if next_start >= len(text) or not _NEXT_START.match(text, next_start):
        return False
    if text.count("$", start, stop) % 2:  # inside inline math
        return False
    if text[stop] != ".":
        return True
    word = _WORD_BEFORE.search(text, start, stop + 1)
    before = (word.group(1) if word else "").rstrip(".").lower()
    # "J. Smith" and "et al." are not ends; a lone capital letter is an initial.
    return before not in ABBREVIATIONS and not re.fullmatch(r"[a-z]", before)


def _has_words(sentence: str) -> bool:
    return len(re.findall(r"[A-Za-z]{2,}", sentence)) >= 2


def word_count(sentence: str) -> int:
    return len(sentence.split())


def tidy_summary(sentence: str) -> str:
    """The sentence as a card shows it: no filler opening, a capital first, one end mark,
    and at most MAX_SUMMARY_CHARS (cut at a word, with an ellipsis)."""
    sentence = " ".join(sentence.split())
    trimmed = _FILLER_OPENINGS.sub("", sentence, count=1)
    if trimmed != sentence and word_count(trimmed) >= 4:
        sentence = trimmed[:1].upper() + trimmed[1:]
    if len(sentence) > MAX_SUMMARY_CHARS:
        cut = sentence[: MAX_SUMMARY_CHARS - 1]
        cut = cut[: cut.rfind(" ")] if " " in cut else cut
        if cut.count("$") % 2:  # do not leave math open
            cut = cut[: cut.rfind("$")]
        return cut.rstrip(" ,;:") + "…"
    if sentence and sentence[-1] not in ".!?":
        sentence += "."
    return sentence

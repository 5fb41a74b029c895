"""Candidate keyphrases: content words only, no math, shown as the text writes them."""

from __future__ import annotations

from dailypapers.summaries.phrases import GENERIC_WORDS, STOP_WORDS, candidates

TITLE = "Graph Neural Networks for Protein Folding"
ABSTRACT = (
    "We propose a graph neural network that predicts protein folding from residue contacts. "
    "The model uses $\\mathcal{O}(n^2)$ attention and \\textbf{message passing}. "
    "Experiments on CASP14 show that graph neural networks fold proteins accurately."
)


def test_candidates_hold_no_stop_words_and_no_math() -> None:
    found = [c.text for c in candidates(TITLE, ABSTRACT)]
    assert found
    for phrase in found:
        words = phrase.lower().split()
        assert not set(words) & STOP_WORDS, phrase
        assert words[0] not in GENERIC_WORDS, phrase
        assert "$" not in phrase and "\\" not in phrase and "mathcal" not in phrase.lower()
        assert 1 <= len(words) <= 3


def test_title_phrases_and_repeated_phrases_rank_first() -> None:
    found = [c.text.lower() for c in candidates(TITLE, ABSTRACT)]
    assert found.index("graph neural networks") < 5
    assert "protein folding" in found[:8]


def test_acronyms_keep_their_case() -> None:
    assert "CASP14" in [c.text for c in candidates(TITLE, ABSTRACT, limit=100)]


def test_nothing_to_pick_from_empty_text() -> None:
    assert candidates("", "") == []
    assert candidates("", "We are the very best that it is.") == []

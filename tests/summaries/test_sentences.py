"""Splitting abstracts into sentences and tidying the chosen one."""

from __future__ import annotations

import pytest

from dailypapers.summaries.sentences import MAX_SUMMARY_CHARS, split_sentences, tidy_summary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We fold proteins. It works well.", ["We fold proteins.", "It works well."]),
        (
            "Models (e.g. BERT) fail, cf. Smith et al. These results hold. Accuracy is 93.5 now.",
            [
                "Models (e.g. BERT) fail, cf. Smith et al. These results hold.",
                "Accuracy is 93.5 now.",
            ],
        ),
        (
            "We bound $x < 1. Y$ tightly here. Then we stop.",
            ["We bound $x < 1. Y$ tightly here.", "Then we stop."],
        ),
        (
            "J. Smith and A. Turing wrote it down. Done and dusted!",
            ["J. Smith and A. Turing wrote it down.", "Done and dusted!"],
        ),
        ("No end mark at all", ["No end mark at all"]),
        ("", []),
        ("  . .  ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_filler_openings_are_dropped() -> None:
    assert tidy_summary("In this paper, we propose a graph model.") == "We propose a graph model."
    assert tidy_summary("Here we show that it works") == "We show that it works."


def test_a_very_long_sentence_is_cut_at_a_word_without_open_math() -> None:
    sentence = "We study " + "very " * 40 + "$a + b = c$ " + "long things " * 40 + "here."
    tidy = tidy_summary(sentence)
    assert len(tidy) <= MAX_SUMMARY_CHARS
    assert tidy.endswith("…")
    assert tidy.count("$") % 2 == 0

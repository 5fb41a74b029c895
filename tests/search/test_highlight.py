"""Marking the query's words: by stem, escaped, never inside math; excerpts around the matches."""

from __future__ import annotations

import pytest

from dailypapers.papers.tex import DOLLAR
from dailypapers.papers.text import math_spans
from dailypapers.search.highlight import excerpt_around, highlight, query_stems


def marked(text: str, *words: str) -> str:
    return str(highlight(text, query_stems(list(words))))


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("Graph Neural Network", ["networks"], "Graph Neural <mark>Network</mark>"),
        ("neural networks", ["network"], "neural <mark>networks</mark>"),
        ("Learning to learn", ["learned"], "<mark>Learning</mark> to <mark>learn</mark>"),
        ("Case studies", ["study"], "Case <mark>studies</mark>"),
        ("GNN-based graphs", ["graph"], "GNN-based <mark>graphs</mark>"),
        ("TRANSFORMERS", ["transformer"], "<mark>TRANSFORMERS</mark>"),
        ("no match here", ["cats"], "no match here"),
        ("Learning (GNNs) fast", ["gnns"], "Learning (<mark>GNNs</mark>) fast"),
    ],
)
def test_words_are_marked_by_stem(text: str, words: list[str], expected: str) -> None:
    assert marked(text, *words) == expected


def test_stop_words_are_not_marked_next_to_real_words() -> None:
    assert marked("the state of the art", "the", "art") == "the state of the <mark>art</mark>"
    # A query of nothing but stop words still shows where they are.
    assert marked("to be or not", "to", "be") == "<mark>to</mark> <mark>be</mark> or not"


def test_no_words_escapes_only() -> None:
    assert str(highlight("a < b & c", frozenset())) == "a &lt; b &amp; c"


@pytest.mark.parametrize("word", ["amp", "lt", "gt", "quot", "mark", "x27"])
def test_marks_never_land_inside_escaped_html(word: str) -> None:
    text = "<b> & \"said\" 'single' mark"
    result = marked(text, word)
    assert "&lt;b&gt; &amp; &quot;said&quot; &#x27;single&#x27;" in result
    assert result.count("<mark>") == (1 if word == "mark" else 0)


def test_hostile_html_in_text_is_escaped_and_marked_as_text() -> None:
    result = marked("<img src=x onerror=alert(1)> <script>alert(1)</script>", "alert", "script")
    assert "<img" not in result and "<script" not in result
    assert result == (
        "&lt;img src=x onerror=<mark>alert</mark>(1)&gt; "
        "&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)&lt;/<mark>script</mark>&gt;"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sort in $O(n \\log n)$ time, log it", "sort in $O(n \\log n)$ time, <mark>log</mark> it"),
        ("$$\\log x$$ and log", "$$\\log x$$ and <mark>log</mark>"),
        ("\\(\\log\\) log", "\\(\\log\\) <mark>log</mark>"),
        ("costs \\$5 log", f"costs {DOLLAR}5 <mark>log</mark>"),
        ("an unclosed $\\log forever", f"an unclosed {DOLLAR}\\log forever"),
    ],
)
def test_math_is_never_marked(text: str, expected: str) -> None:
    assert marked(text, "log") == expected


def test_tex_outside_math_is_shown_and_marked_but_command_names_never() -> None:
    assert marked(r"a \textbf{log} of \texttt{textbf}--and \log", "log", "textbf") == (
        "a <strong><mark>log</mark></strong> of <code><mark>textbf</mark></code>–and \\log"
    )
    assert marked("see https://a.org/log", "log") == "see https://a.org/<mark>log</mark>"


def test_math_spans() -> None:
    assert math_spans("a $x$ b $$y$$ c \\(z\\) \\$ d") == [(2, 5), (8, 13), (16, 21)]
    assert math_spans("a \\\\$x$ b $y") == [(4, 7), (10, 12)]  # after a line break; unclosed


def test_short_text_is_the_whole_excerpt() -> None:
    text = "Graph neural networks for molecules."
    assert excerpt_around(text, query_stems(["graph"])) == text


def test_excerpt_shows_the_part_with_the_matches() -> None:
    filler = "Nothing relevant is said in this sentence at all. " * 12
    text = filler + "Here graph neural networks solve it. " + filler
    excerpt = excerpt_around(text, query_stems(["graph", "networks"]), length=200)
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert "graph neural networks solve it" in excerpt
    assert len(excerpt) <= 202
    words = excerpt.strip("…").split()
    assert all(word in text.split() for word in words)  # cut between words, not inside one


def test_excerpt_starts_at_the_beginning_when_matches_are_there() -> None:
    text = "Graph methods. " + "More words follow here. " * 30
    excerpt = excerpt_around(text, query_stems(["graph"]), length=100)
    assert excerpt.startswith("Graph methods.") and excerpt.endswith("…")


def test_excerpt_never_cuts_a_formula() -> None:
    text = "We prove " + "a bound " * 30 + "$x^2 + y^2 = z^2$ for graphs " + "and more " * 40
    excerpt = excerpt_around(text, query_stems(["graphs"]), length=120)
    assert excerpt.count("$") % 2 == 0
    assert "graphs" in excerpt


def test_excerpt_of_no_match_is_the_start() -> None:
    text = "First words. " + "filler " * 100
    assert excerpt_around(text, query_stems(["absent"]), length=50).startswith("First words.")

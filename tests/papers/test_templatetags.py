"""Card helpers: excerpts that never cut a formula in half, author lines with a count."""

from __future__ import annotations

import pytest

from dailypapers.papers.templatetags.reading import author_line, excerpt, http_url


def test_short_abstract_is_whole() -> None:
    assert excerpt("We study things.") == "We study things."


def test_long_abstract_is_cut_at_a_word() -> None:
    text = "word " * 100
    cut = excerpt(text)
    assert cut.endswith("word…")
    assert len(cut) <= 301


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The cut falls inside the formula: it goes, whole.
        ("a " * 140 + "so $x + y + w + v = z$ holds", ("a " * 140) + "so…"),
        ("a " * 140 + "so $$x + y + w + v = z$$ holds", ("a " * 140) + "so…"),
        ("a " * 140 + r"so \(x + y + w + v = z\) holds", ("a " * 140) + "so…"),
        # A TeX line break before a formula is no escaped dollar.
        ("a " * 138 + r"so \\$x + y + w + v = z$ holds", ("a " * 138) + r"so \\…"),
        # An escaped dollar is money, not math.
        ("a " * 140 + r"pay \$5 and more words here", ("a " * 140) + r"pay \$5 and more…"),
    ],
)
def test_excerpt_never_leaves_a_formula_open(text: str, expected: str) -> None:
    assert excerpt(text, 300) == expected


@pytest.mark.parametrize(
    ("authors", "line"),
    [
        ([], ""),
        (["Ada Lovelace"], "Ada Lovelace"),
        (["A", "B", "C"], "A, B, C"),
        (["A", "B", "C", "D", "E"], "A, B, C + 2 more"),
    ],
)
def test_author_line(authors: list[str], line: str) -> None:
    assert author_line(authors) == line


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://github.com/a/b", "https://github.com/a/b"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_only_web_links_are_linked(url: str, kept: str) -> None:
    assert http_url(url) == kept

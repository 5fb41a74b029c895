"""Query parsing: filters, the id/URL shortcut, and hostile input searched as plain words."""

from __future__ import annotations

from datetime import date

import pytest

from dailypapers.search.query import MAX_TERMS, arxiv_id_in, parse_query


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2501.01234", "2501.01234"),
        ("2501.01234v3", "2501.01234"),
        ("arXiv:2501.01234", "2501.01234"),
        ("https://arxiv.org/abs/2501.01234v2", "2501.01234"),
        ("https://arxiv.org/pdf/2501.01234.pdf", "2501.01234"),
        ("http://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("  hep-th/9901001  ", "hep-th/9901001"),
        ("graph neural networks", ""),
        ("2501.01234 transformers", ""),
        ("", ""),
    ],
)
def test_arxiv_id_shortcut(raw: str, expected: str) -> None:
    assert arxiv_id_in(raw) == expected
    assert parse_query(raw).arxiv_id == expected


def test_filters_are_combined_with_free_text() -> None:
    query = parse_query('diffusion author:"Yann LeCun" cat:cs.CV year:2024-2025 models')
    assert query.text == "diffusion models"
    assert query.authors == ["Yann LeCun"]
    assert query.categories == ["cs.CV"]
    assert (query.date_from, query.date_to) == (date(2024, 1, 1), date(2025, 12, 31))
    assert query.has_filters


@pytest.mark.parametrize(
    ("raw", "date_from", "date_to"),
    [
        ("year:2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("year:2026..2024", date(2024, 1, 1), date(2026, 12, 31)),
        ("from:2025-03-01 to:2025-04-30", date(2025, 3, 1), date(2025, 4, 30)),
        ("after:2025", date(2025, 1, 1), None),
    ],
)
def test_date_filters(raw: str, date_from: date | None, date_to: date | None) -> None:
    query = parse_query(raw)
    assert (query.date_from, query.date_to) == (date_from, date_to)
    assert query.text == ""


@pytest.mark.parametrize(
    "raw",
    [
        'unbalanced "quote marks',
        "NEAR(a b) OR title:* AND NOT -x ^y",
        "emoji 🧠🤖 in a query ✨",
        "year:soon from:yesterday",
        "\x00\x01 control\tchars",
        "x" * 10_000,
        "word " * 5_000,
        "author:",
        'author:""',
    ],
)
def test_hostile_queries_become_plain_words(raw: str) -> None:
    query = parse_query(raw)
    assert len(query.words) <= MAX_TERMS
    assert all(word.isalnum() or "_" in word for word in query.words)
    assert query.date_from is None and query.date_to is None


def test_unusable_filter_is_kept_as_words() -> None:
    query = parse_query("year:soon transformers")
    assert query.words == ["year", "soon", "transformers"]

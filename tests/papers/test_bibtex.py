"""BibTeX export: keys, fields, and escaping that keeps arXiv's own TeX intact."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dailypapers.papers.bibtex import bibtex_entry, citation_key, escape_tex
from dailypapers.papers.models import Paper


def paper(**fields: object) -> Paper:
    base: dict[str, object] = {
        "arxiv_id": "2501.00001",
        "title": "A study of things",
        "authors": ["Ada Lovelace", "Alan Turing"],
        "categories": "cs.CL cs.AI",
        "primary_category": "cs.CL",
        "published": datetime(2025, 1, 2, tzinfo=UTC),
    }
    return Paper(**{**base, **fields})


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Cats & Dogs: 100% of #1 in a_b", r"Cats \& Dogs: 100\% of \#1 in a\_b"),
        ("Costs $5 or so", r"Costs \$5 or so"),
        ("Scaling ^ and ~ signs", r"Scaling \textasciicircum{} and \textasciitilde{} signs"),
        # The source's own TeX stays as it is.
        (r"H\&E slides", r"H\&E slides"),
        (r"The \emph{Optimist}", r"The \emph{Optimist}"),
        ("Time $O(n^2)$ with $x_i$", "Time $O(n^2)$ with $x_i$"),
        ("$$E=mc^2$$ again", "$$E=mc^2$$ again"),
        # A stray brace would close the BibTeX field early.
        ("Unbalanced } brace {", r"Unbalanced \} brace \{"),
        ("Ünïcödé stays", "Ünïcödé stays"),
    ],
)
def test_escape_tex(text: str, escaped: str) -> None:
    assert escape_tex(text) == escaped


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({}, "lovelace2025study"),
        ({"title": "The Art of Computer Programming"}, "lovelace2025art"),
        ({"authors": ["Kurt Gödel"]}, "godel2025study"),
        ({"authors": ["Lovelace, Ada"]}, "lovelace2025study"),
        ({"authors": ["Martin Luther King Jr."]}, "king2025study"),
        ({"authors": []}, "anonymous2025study"),
        ({"title": "$E=mc^2$: Energy for all"}, "lovelace2025energy"),
        # Without a date the year comes from the id itself.
        ({"published": None, "arxiv_id": "2312.01234"}, "lovelace2023study"),
        ({"published": None, "arxiv_id": "hep-th/9901001"}, "lovelace1999study"),
    ],
)
def test_citation_key(fields: dict[str, object], key: str) -> None:
    assert citation_key(paper(**fields)) == key


def test_misc_entry_for_a_preprint() -> None:
    assert bibtex_entry(paper(title="Cats & Dogs")) == (
        "@misc{lovelace2025cats,\n"
        "  title = {Cats \\& Dogs},\n"
        "  author = {Ada Lovelace and Alan Turing},\n"
        "  year = {2025},\n"
        "  eprint = {2501.00001},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass = {cs.CL},\n"
        "  url = {https://arxiv.org/abs/2501.00001},\n"
        "}\n"
    )


def test_article_entry_when_published_in_a_journal() -> None:
    entry = bibtex_entry(paper(journal_ref="Phys. Rev. D 100, 1 (2019)", doi="10.1103/x.1"))
    assert entry.startswith("@article{lovelace2025study,\n")
    assert "  journal = {Phys. Rev. D 100, 1 (2019)},\n" in entry
    assert "  doi = {10.1103/x.1},\n" in entry

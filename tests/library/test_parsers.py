"""Reading BibTeX, RIS and CSL-JSON files as reference managers write them, malformed entries
listed and skipped while the rest are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from dailypapers.library import parsers
from dailypapers.library.entries import arxiv_id_in, doi_in

LIBRARY = Path(__file__).resolve().parents[1] / "data" / "library"


def read(name: str) -> parsers.ParsedLibrary:
    text = (LIBRARY / name).read_text()
    return parsers.parse(text, parsers.detect(text, name))


def test_bibtex_reads_ids_from_eprint_journal_and_doi_and_lists_broken_entries() -> None:
    parsed = read("zotero.bib")
    by_key = {entry.label: entry for entry in parsed.entries}
    assert list(by_key) == [
        "vaswani2017attention",
        "devlin2019bert",
        "he2016deep",
        "graphsurvey",
        "knuth1984literate",
    ]
    assert by_key["vaswani2017attention"].arxiv_id == "1706.03762"
    assert by_key["devlin2019bert"].arxiv_id == "1810.04805"
    assert by_key["devlin2019bert"].title.startswith("BERT: Pre-training")
    assert by_key["he2016deep"].doi == "10.1109/cvpr.2016.90"
    assert by_key["graphsurvey"].title == "A Comprehensive Survey on Graph Neural Networks"
    assert by_key["graphsurvey"].arxiv_id == "" and by_key["graphsurvey"].year == "2020"
    assert by_key["knuth1984literate"].authors == ["Knuth, Donald E."]
    reasons = {problem.where: problem.reason for problem in parsed.problems}
    assert reasons == {
        "entry 6 (broken2021, line 37)": "its braces are not balanced",
        "entry 7 (no key, line 42)": "it has no citation key",
    }


def test_ris_reads_links_and_dois_and_lists_entries_without_title_or_end() -> None:
    parsed = read("mendeley.ris")
    assert [(e.title[:20], e.arxiv_id, e.doi) for e in parsed.entries] == [
        ("Attention Is All You", "1706.03762", ""),
        ("Deep Residual Learni", "", "10.1109/cvpr.2016.90"),
        ("A Comprehensive Surv", "", ""),
        ("Literate Programming", "", "10.1093/comjnl/27.2.97"),
    ]
    assert parsed.entries[0].authors == ["Vaswani, Ashish", "Shazeer, Noam"]
    assert [p.reason for p in parsed.problems] == [
        "it has no title, arXiv id or DOI",
        "it has no ER line",
    ]


def test_csl_json_reads_zotero_items_and_lists_what_is_not_an_item() -> None:
    parsed = read("zotero.json")
    assert [(e.arxiv_id, e.doi) for e in parsed.entries] == [
        ("1706.03762", "10.48550/arxiv.1706.03762"),
        ("", "10.1109/cvpr.2016.90"),
        ("", ""),
        ("", "10.1093/comjnl/27.2.97"),
    ]
    assert parsed.entries[0].year == "2017"
    assert parsed.entries[3].authors == ["Donald E. Knuth"]
    assert [p.where for p in parsed.problems] == ["item 4", "item 5 (QW5)"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (("arXiv:2401.01234v2",), "2401.01234"),
        (("https://arxiv.org/pdf/2401.01234v1.pdf",), "2401.01234"),
        (("10.48550/arXiv.2310.00001",), "2310.00001"),
        (("hep-th/9901001",), "hep-th/9901001"),
        (("arXiv preprint arXiv:math.AG/0601001",), "math.AG/0601001"),
        (("Journal of Things 1234.5678",), ""),  # a number in a journal is not an id
        (("", "2402.00002"), "2402.00002"),
    ],
)
def test_arxiv_ids_are_found_where_exports_put_them(fields: tuple[str, ...], expected: str) -> None:
    assert arxiv_id_in(*fields) == expected


def test_dois_are_lowercased_and_trimmed() -> None:
    assert doi_in("https://doi.org/10.1145/3442188.3445922.") == "10.1145/3442188.3445922"


def test_a_file_of_no_known_format_is_refused_with_a_sentence() -> None:
    with pytest.raises(parsers.UnknownFormat, match="not BibTeX, RIS or CSL-JSON"):
        parsers.detect("just some words", "notes.md")
    with pytest.raises(parsers.UnknownFormat, match="not valid JSON"):
        parsers.parse("[{", "csl-json")

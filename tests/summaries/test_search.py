"""Keywords are searchable: the keyword index holds them, and a paper summarized after it was
indexed is indexed again."""

from __future__ import annotations

from pathlib import Path

from dailypapers.search.embeddings import NullEmbedder
from dailypapers.search.indexer import update_index
from dailypapers.search.lexical import TantivyLexicalIndex
from dailypapers.search.query import parse_query
from dailypapers.summaries.models import PaperSummary
from tests.papers.factories import add_paper


def found(index: TantivyLexicalIndex, words: str) -> list[int]:
    return [hit.paper_id for hit in index.search(parse_query(words), 10)]


def test_a_paper_is_found_by_its_keywords_once_summarized(db: None, tmp_path: Path) -> None:
    paper = add_paper(title="Yeast strains for brewing", abstract="We compare yeast strains.")
    index, embedder = TantivyLexicalIndex(tmp_path / "lexical"), NullEmbedder()
    update_index(embedder, index)
    assert found(index, "zymurgy") == []
    # A keyword that is not in the text, so only the index's copy can match it.
    PaperSummary.objects.create(
        paper=paper, sentence="", keywords=["zymurgy", "yeast strains"], method="t", text_hash="x"
    )
    report = update_index(embedder, index)
    assert report.indexed == 1
    assert found(index, "zymurgy") == [paper.pk]
    assert update_index(embedder, index).indexed == 0  # and not again

"""Similar papers on a paper's page: nearest vectors, else its title searched lexically."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from pytest_django import Settings

from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import MODEL_DIRECTORY, Embedder, NullEmbedder
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.indexer import update_index
from dailypapers.search.similar import similar_papers
from tests.papers.factories import add_paper
from tests.search.doubles import WordHashEmbedder

pytestmark = pytest.mark.django_db


def make_engine(directory: Path, embedder: Embedder) -> SearchEngine:
    """An engine on `directory` serving every request, with the papers so far indexed."""
    engine = SearchEngine(directory, embedder)
    update_index(embedder, engine.lexical)
    reset_engine(engine)
    return engine


@pytest.fixture(autouse=True)
def search_index(tmp_path: Path, settings: Settings) -> Iterator[Path]:
    """Indexes in a temporary directory, never ./var; the engine is dropped afterwards."""
    settings.SEARCH_INDEX_DIR = str(tmp_path)
    reset_engine(SearchEngine(tmp_path, NullEmbedder("off in this test")))
    yield tmp_path
    reset_engine(None)


def add_topics() -> dict[str, Paper]:
    return {
        "mamba": add_paper(
            None,
            title="Selective state space models for long sequences",
            abstract="State space models with selective scans replace attention.",
        ),
        "mamba2": add_paper(
            None,
            title="Faster selective state space models",
            abstract="Selective scans for state space models on long sequences, faster.",
        ),
        "vision": add_paper(
            None,
            title="Vision state space models",
            abstract="Selective state space models applied to images.",
        ),
        "leaf": add_paper(
            None,
            title="Leaf counting in plant images",
            abstract="Counting leaves of rosette plants with segmentation.",
        ),
    }


def test_nearest_vectors_come_first_and_the_paper_itself_never(search_index: Path) -> None:
    papers = add_topics()
    make_engine(search_index, WordHashEmbedder())
    similar = similar_papers(papers["mamba"], limit=2)
    assert similar == [papers["mamba2"], papers["vision"]]
    assert papers["mamba"] not in similar_papers(papers["mamba"], limit=10)


def test_without_vectors_the_title_is_searched_lexically(search_index: Path) -> None:
    papers = add_topics()
    make_engine(search_index, NullEmbedder("semantic search is switched off"))
    similar = similar_papers(papers["mamba"], limit=3)
    assert similar[:2] == [papers["mamba2"], papers["vision"]]
    assert papers["mamba"] not in similar


def test_a_paper_indexed_after_the_vectors_falls_back_to_its_title(search_index: Path) -> None:
    papers = add_topics()
    engine = make_engine(search_index, WordHashEmbedder())
    late = add_paper(None, title="Leaf segmentation of rosette plants")
    update_index(NullEmbedder(), engine.lexical)  # indexed for words only: no vector
    assert engine.vector_of(late.id) is None
    assert similar_papers(late, limit=1) == [papers["leaf"]]


def test_a_title_with_filter_syntax_is_searched_as_words(search_index: Path) -> None:
    tricky = add_paper(None, title='author:"Nobody" cat:cs.XX year:2024 selective scans')
    papers = add_topics()
    make_engine(search_index, NullEmbedder())
    assert papers["mamba"] in similar_papers(tricky)


def test_limit_is_respected(search_index: Path) -> None:
    for number in range(8):
        add_paper(None, title=f"State space models, part {number}")
    paper = Paper.objects.first()
    assert paper is not None
    make_engine(search_index, WordHashEmbedder())
    assert len(similar_papers(paper, limit=6)) == 6
    assert len(similar_papers(paper, limit=3)) == 3


class BrokenEngine:
    def vector_of(self, paper_id: int) -> None:
        raise OSError("index directory vanished")


def test_failures_give_no_similar_papers_never_an_error() -> None:
    paper = add_paper(None, title="Anything")
    assert similar_papers(paper, engine=BrokenEngine()) == []


def test_paper_page_lists_similar_papers(search_index: Path, client: Client) -> None:
    papers = add_topics()
    make_engine(search_index, WordHashEmbedder())
    page = client.get(papers["mamba"].get_absolute_url()).content.decode()
    assert '<h2 id="similar-heading">Similar papers</h2>' in page
    section = page[page.index('id="similar-heading"') :]
    links = re.findall(r'<a href="(/papers/[^"]+)" data-math>([^<]*)</a>', section)
    assert links[:2] == [
        (papers["mamba2"].get_absolute_url(), "Faster selective state space models"),
        (papers["vision"].get_absolute_url(), "Vision state space models"),
    ]


def test_paper_page_falls_back_to_lexical_matches(search_index: Path, client: Client) -> None:
    papers = add_topics()
    make_engine(search_index, NullEmbedder())
    page = client.get(papers["leaf"].get_absolute_url()).content.decode()
    assert "Similar papers" in page
    assert "Leaf counting in plant images" not in page[page.index("Similar papers") :]


def test_paper_page_without_any_similar_paper_has_no_section(client: Client) -> None:
    paper = add_paper(None, title="Alone in the index")
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    assert "Similar papers" not in response.content.decode()


@pytest.mark.skipif(
    not (MODEL_DIRECTORY / "model.onnx").is_file(), reason="the ONNX model is not built"
)
def test_the_shipped_model_finds_a_paraphrase(search_index: Path) -> None:
    from dailypapers.search.embeddings import OnnxEmbedder

    claim = add_paper(
        None,
        title="Vitamin D supplementation and fracture risk in older adults",
        abstract="Vitamin D supplements lower the risk of fractures in the elderly.",
    )
    paraphrase = add_paper(
        None,
        title="Do bone breaks become rarer in the elderly given cholecalciferol?",
        abstract="Giving elderly people vitamin D reduces how often they break bones.",
    )
    add_paper(
        None,
        title="A planetary nebula in the halo of Andromeda",
        abstract="We report a new planetary nebula in the outer halo of M31.",
    )
    make_engine(search_index, OnnxEmbedder(threads=1))
    assert similar_papers(claim, limit=1) == [paraphrase]

"""One vector file per machine (issue 11): every engine on a data directory maps the same
file, sees the vectors saved after it was built, and picks up a rebuilt one by itself."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dailypapers.papers.models import Paper
from dailypapers.search import indexer
from dailypapers.search.engine import SearchEngine
from dailypapers.search.vectors import (
    ExactVectorIndex,
    LayeredVectorIndex,
    UsearchVectorIndex,
    build_vector_file,
)
from tests.search.doubles import WordHashEmbedder
from tests.search.factories import add_papers

TITLES = ["sparse attention", "dense retrieval", "protein folding", "weather forecasting"]


def engine(directory: Path) -> SearchEngine:
    return SearchEngine(directory, WordHashEmbedder(), in_database=False)


def nearest(engine: SearchEngine, text: str) -> str:
    vector = engine.embedder.embed([text])[0]
    return str(Paper.objects.get(pk=engine.vector_search(vector, 1)[0][0]).title)


def mapped_file(engine: SearchEngine) -> str:
    manifest = json.loads(engine.snapshot_path.read_text())
    return str(manifest["file"])


@pytest.mark.django_db
def test_two_engines_share_one_file_and_see_later_vectors(tmp_path: Path) -> None:
    indexer_engine = engine(tmp_path)
    add_papers(*TITLES)
    indexer.update_index(indexer_engine.embedder, indexer_engine.lexical)
    indexer_engine.save_snapshot()
    web1, web2 = engine(tmp_path), engine(tmp_path)
    assert isinstance(web1.vectors, LayeredVectorIndex)
    assert web1.vectors.base._index.path == web2.vectors.base._index.path  # one file
    assert list(tmp_path.glob("*.usearch")) == [tmp_path / mapped_file(web1)]
    add_papers("mixture of experts")  # embedded after the file was built
    indexer.update_index(indexer_engine.embedder, indexer_engine.lexical)
    for web in (web1, web2):
        web.catch_up(force=True)
        assert nearest(web, "mixture of experts") == "mixture of experts"
        assert nearest(web, "protein folding") == "protein folding"  # from the file
        assert len(web.vectors) == 5


@pytest.mark.django_db
def test_a_paper_embedded_again_is_answered_with_its_new_vector(tmp_path: Path) -> None:
    built = engine(tmp_path)
    add_papers(*TITLES)
    indexer.update_index(built.embedder, built.lexical)
    built.save_snapshot()
    web = engine(tmp_path)
    paper = Paper.objects.get(title="weather forecasting")
    paper.title = "galaxy morphology"
    paper.save()
    indexer.update_index(built.embedder, built.lexical)
    web.catch_up(force=True)
    vector = web.embedder.embed(["weather forecasting"])[0]
    hits = web.vector_search(vector, 4)
    assert [pk for pk, _ in hits].count(paper.pk) == 1
    assert nearest(web, "galaxy morphology") == "galaxy morphology"


@pytest.mark.django_db
def test_a_rebuilt_file_replaces_the_old_one_in_running_engines(tmp_path: Path) -> None:
    built = engine(tmp_path)
    add_papers(*TITLES)
    indexer.update_index(built.embedder, built.lexical)
    built.save_snapshot()
    web = engine(tmp_path)
    first = mapped_file(web)
    add_papers("mixture of experts")
    indexer.update_index(built.embedder, built.lexical)
    built.save_snapshot()
    assert mapped_file(web) != first
    assert not (tmp_path / first).exists()  # unlinked; a process mapping it keeps its pages
    web.catch_up(force=True)
    assert isinstance(web.vectors, LayeredVectorIndex)
    assert len(web.vectors.base) == 5
    assert len(web.vectors.recent) <= 5  # the re-read margin only
    assert nearest(web, "mixture of experts") == "mixture of experts"


@pytest.mark.django_db
def test_a_damaged_manifest_leaves_the_engine_exact(tmp_path: Path) -> None:
    built = engine(tmp_path)
    add_papers(*TITLES)
    indexer.update_index(built.embedder, built.lexical)
    built.snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    built.snapshot_path.write_text("{not json")
    web = engine(tmp_path)
    assert isinstance(web.vectors, ExactVectorIndex)
    assert nearest(web, "dense retrieval") == "dense retrieval"


def clustered(count: int, dimension: int = 384, seed: int = 0) -> np.ndarray:
    """Unit vectors around 200 topics, as paper embeddings cluster."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(200, dimension))
    vectors = topics[rng.integers(0, 200, count)] + 0.8 * rng.normal(size=(count, dimension))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_the_half_precision_file_keeps_recall_against_exact(tmp_path: Path) -> None:
    # Queries near some papers, as a search for a paper's subject is (docs/search.md).
    vectors = clustered(20_000)
    rng = np.random.default_rng(1)
    queries = vectors[rng.integers(0, 20_000, 100)] + 0.03 * rng.normal(size=(100, 384))
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    ids = np.arange(1, 20_001, dtype=np.int64) * 7
    batches = [(ids[:12_000], vectors[:12_000]), (ids[12_000:], vectors[12_000:])]
    assert build_vector_file(tmp_path / "v.usearch", batches, threads=2) == 20_000
    index, exact = UsearchVectorIndex.open(tmp_path / "v.usearch"), ExactVectorIndex(384)
    exact.add(ids, vectors)
    recall = [
        len({pk for pk, _ in index.search(q, 10)} & {pk for pk, _ in exact.search(q, 10)}) / 10
        for q in queries
    ]
    assert np.mean(recall) >= 0.95
    assert index.get(14) == pytest.approx(vectors[1], abs=1e-3)  # f16 keeps 3 digits
    assert index.get(15) is None
    with pytest.raises(TypeError):
        index.add(ids[:1], vectors[:1])

"""Vector indexes: exact and HNSW agree, update in place, and survive a save and load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dailypapers.search.vectors import ExactVectorIndex, HnswVectorIndex


def unit_vectors(count: int, dimension: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", [ExactVectorIndex, HnswVectorIndex])
def test_nearest_is_itself_and_order_is_by_similarity(kind: type) -> None:
    vectors = unit_vectors(3000)
    index = kind(32)
    index.add(np.arange(100, 3100, dtype=np.int64), vectors)
    hits = index.search(vectors[7], 10)
    assert hits[0][0] == 107
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True)
    assert len(index) == 3000


def test_hnsw_recall_against_exact() -> None:
    vectors, queries = unit_vectors(5000, seed=1), unit_vectors(50, seed=2)
    exact, hnsw = ExactVectorIndex(32), HnswVectorIndex(32, ef_search=128)
    ids = np.arange(5000, dtype=np.int64)
    exact.add(ids, vectors)
    hnsw.add(ids, vectors)
    overlap = [
        len({i for i, _ in exact.search(q, 10)} & {i for i, _ in hnsw.search(q, 10)}) / 10
        for q in queries
    ]
    assert np.mean(overlap) >= 0.95


@pytest.mark.parametrize("kind", [ExactVectorIndex, HnswVectorIndex])
def test_adding_an_existing_id_replaces_its_vector(kind: type) -> None:
    first, second = unit_vectors(2, seed=3)
    index = kind(32)
    index.add(np.array([5], dtype=np.int64), first[None])
    index.add(np.array([5], dtype=np.int64), second[None])
    assert len(index) == 1
    assert index.get(5) == pytest.approx(second, abs=1e-6)
    assert index.get(6) is None


def test_snapshots_round_trip(tmp_path: Path) -> None:
    vectors = unit_vectors(500, seed=4)
    ids = np.arange(500, dtype=np.int64) * 3
    exact, hnsw = ExactVectorIndex(32), HnswVectorIndex(32)
    exact.add(ids, vectors)
    hnsw.add(ids, vectors)
    exact.save(tmp_path / "exact.npz")
    hnsw.save(tmp_path / "graph.hnsw")
    exact2 = ExactVectorIndex.load(tmp_path / "exact.npz", 32)
    hnsw2 = HnswVectorIndex.load(tmp_path / "graph.hnsw", 32)
    assert exact2.search(vectors[9], 3) == exact.search(vectors[9], 3)
    assert hnsw2.search(vectors[9], 1)[0][0] == 27


def test_empty_index_finds_nothing() -> None:
    assert ExactVectorIndex(8).search(unit_vectors(1, 8)[0], 5) == []
    assert HnswVectorIndex(8).search(unit_vectors(1, 8)[0], 5) == []

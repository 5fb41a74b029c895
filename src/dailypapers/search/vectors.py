"""Vector indexes over paper embeddings: exact (numpy) for small corpora, one memory-mapped
usearch file per machine for large ones, pgvector inside PostgreSQL.

The file is built from the search documents in the database; each process adds the vectors
saved since the file's watermark in a small exact index of its own (docs/search.md).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]


class VectorIndex(Protocol):
    """Inner-product search over unit vectors keyed by paper id."""

    def add(self, ids: Ids, vectors: Vectors) -> None: ...
    def search(self, vector: Vectors, limit: int) -> list[tuple[int, float]]: ...
    def get(self, paper_id: int) -> Vectors | None: ...
    def __len__(self) -> int: ...
    def save(self, path: Path) -> None: ...


class ExactVectorIndex:
    """Every vector in one matrix; a query is one matrix-vector product. Exact."""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._matrix = np.zeros((1024, dimension), dtype=np.float32)
        self._ids = np.zeros(1024, dtype=np.int64)
        self._rows: dict[int, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, paper_id: int) -> bool:
        return paper_id in self._rows

    def ids(self) -> list[int]:
        return list(self._rows)

    def add(self, ids: Ids, vectors: Vectors) -> None:
        with self._lock:
            for paper_id, vector in zip(ids.tolist(), vectors, strict=True):
                row = self._rows.get(paper_id)
                if row is None:
                    row = self._append_row(paper_id)
                self._matrix[row] = vector

    def search(self, vector: Vectors, limit: int) -> list[tuple[int, float]]:
        count = len(self._rows)
        if count == 0 or limit <= 0:
            return []
        scores = self._matrix[:count] @ vector.astype(np.float32)
        limit = min(limit, count)
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self._ids[row]), float(scores[row])) for row in top]

    def get(self, paper_id: int) -> Vectors | None:
        row = self._rows.get(paper_id)
        return None if row is None else self._matrix[row].copy()

    def save(self, path: Path) -> None:
        count = len(self._rows)
        _atomic_save(path, ids=self._ids[:count], vectors=self._matrix[:count])

    @classmethod
    def load(cls, path: Path, dimension: int) -> ExactVectorIndex:
        index = cls(dimension)
        with np.load(path) as snapshot:
            index.add(snapshot["ids"], snapshot["vectors"])
        return index

    def _append_row(self, paper_id: int) -> int:
        row = len(self._rows)
        if row == len(self._ids):  # grow by doubling: amortized O(1) appends
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
            self._ids = np.concatenate([self._ids, np.zeros_like(self._ids)])
        self._ids[row] = paper_id
        self._rows[paper_id] = row
        return row


class HnswVectorIndex:
    """hnswlib's HNSW graph: sub-millisecond approximate search at a million papers."""

    def __init__(self, dimension: int, ef_search: int = 96, m: int = 16) -> None:
        import hnswlib

        self.dimension = dimension
        self.ef_search = ef_search
        self._index = hnswlib.Index(space="ip", dim=dimension)
        self._index.init_index(max_elements=1024, ef_construction=200, M=m)
        self._index.set_ef(ef_search)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return int(self._index.get_current_count())

    def add(self, ids: Ids, vectors: Vectors) -> None:
        with self._lock:
            needed = len(self) + len(ids)
            if needed > self._index.get_max_elements():
                self._index.resize_index(max(needed, 2 * self._index.get_max_elements()))
            # An id already present is updated in place by hnswlib.
            self._index.add_items(vectors.astype(np.float32), ids.astype(np.uint64))

    def search(self, vector: Vectors, limit: int) -> list[tuple[int, float]]:
        count = len(self)
        if count == 0 or limit <= 0:
            return []
        limit = min(limit, count)
        if limit > self.ef_search:
            self._index.set_ef(limit)
        labels, distances = self._index.knn_query(vector.reshape(1, -1), k=limit)
        if limit > self.ef_search:
            self._index.set_ef(self.ef_search)
        # hnswlib's "ip" distance is 1 - inner product.
        return [
            (int(label), 1.0 - float(distance))
            for label, distance in zip(labels[0], distances[0], strict=True)
        ]

    def get(self, paper_id: int) -> Vectors | None:
        try:
            return np.asarray(self._index.get_items([paper_id]), dtype=np.float32)[0]
        except RuntimeError:
            return None

    def save(self, path: Path) -> None:
        temporary = path.with_suffix(".tmp")
        self._index.save_index(str(temporary))
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path, dimension: int, ef_search: int = 96) -> HnswVectorIndex:
        index = cls(dimension, ef_search)
        index._index.load_index(str(path))
        index._index.set_ef(ef_search)
        return index


class UsearchVectorIndex:
    """A usearch HNSW graph of half-precision vectors in one file, opened as a read-only
    memory map (`Index.restore(view=True)`): its pages are the kernel's page cache, shared by
    every process of the machine that maps the same file (docs/search.md, "Vectors")."""

    def __init__(self, index: Any) -> None:
        self._index = index

    @classmethod
    def open(cls, path: Path, ef_search: int = 96) -> UsearchVectorIndex:
        Index = _usearch_index()
        index = Index.restore(str(path), view=True)
        if index is None:
            raise ValueError(f"{path} is not a usearch index")
        opened = cls(index)
        opened.ef_search = ef_search  # usearch widens it to k when k is larger
        return opened

    @property
    def ef_search(self) -> int:
        return int(self._index.expansion_search)

    @ef_search.setter
    def ef_search(self, value: int) -> None:
        self._index.expansion_search = value

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, paper_id: int) -> bool:
        return bool(self._index.contains(paper_id))

    def add(self, ids: Ids, vectors: Vectors) -> None:
        raise TypeError("a memory-mapped vector file is read-only: build a new one")

    def search(self, vector: Vectors, limit: int) -> list[tuple[int, float]]:
        count = len(self)
        if count == 0 or limit <= 0:
            return []
        matches = self._index.search(np.asarray(vector, dtype=np.float32), min(limit, count))
        # usearch's "ip" distance is 1 - inner product.
        return [
            (int(key), 1.0 - float(distance))
            for key, distance in zip(matches.keys, matches.distances, strict=True)
        ]

    def get(self, paper_id: int) -> Vectors | None:
        vector = self._index.get(paper_id) if paper_id in self else None
        return None if vector is None else np.asarray(vector, dtype=np.float32)

    def save(self, path: Path) -> None:
        """Nothing to save: the file is the index."""


def build_vector_file(path: Path, batches: Iterable[tuple[Ids, Vectors]], threads: int) -> int:
    """Write a usearch file of every (ids, vectors) batch; returns how many it holds.

    f16: half the bytes of float32 at the same recall (docs/search.md, "Vectors"). Written
    under a temporary name and renamed, so no reader ever maps half a file.
    """
    Index = _usearch_index()
    index: Any = None
    for ids, vectors in batches:
        if index is None:
            index = Index(
                ndim=vectors.shape[1],
                metric="ip",
                dtype="f16",
                connectivity=FILE_CONNECTIVITY,
                expansion_add=FILE_EXPANSION_ADD,
            )
        if len(ids):
            index.add(ids.astype(np.uint64), vectors.astype(np.float32), threads=threads)
    if index is None:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    index.save(str(temporary))
    os.replace(temporary, path)
    return len(index)


def _usearch_index() -> Any:
    """usearch's Index class, loaded after ONNX Runtime: the other way round, the process
    crashes (SIGSEGV) at its first embedding (usearch 2.26.6, onnxruntime 1.31.1)."""
    with contextlib.suppress(ImportError):  # the embedder is optional; vectors still work
        import onnxruntime  # noqa: F401
    from usearch.index import Index

    return Index


# HNSW links per node and build breadth of the vector file (hnswlib's snapshot used 16/200).
FILE_CONNECTIVITY = 16
FILE_EXPANSION_ADD = 128


class LayeredVectorIndex:
    """The machine's vector file plus, in this process, the vectors saved since it was built.

    A paper embedded again after the file was built is answered from the fresh vector only.
    """

    def __init__(self, base: UsearchVectorIndex, dimension: int) -> None:
        self.base = base
        self.recent = ExactVectorIndex(dimension)
        self._shadowed: set[int] = set()  # papers held here whose vector in the file is stale

    @property
    def ef_search(self) -> int:
        return self.base.ef_search

    @ef_search.setter
    def ef_search(self, value: int) -> None:
        self.base.ef_search = value

    def __len__(self) -> int:
        return len(self.base) + len(self.recent) - len(self._shadowed)

    def add(self, ids: Ids, vectors: Vectors) -> None:
        self._shadowed.update(pk for pk in ids.tolist() if pk in self.base)
        self.recent.add(ids, vectors)

    def search(self, vector: Vectors, limit: int) -> list[tuple[int, float]]:
        if not len(self.recent):
            return self.base.search(vector, limit)
        # As many more from the file as it may return stale vectors for, which are dropped.
        wider = limit + min(len(self._shadowed), limit)
        hits = [hit for hit in self.base.search(vector, wider) if hit[0] not in self._shadowed]
        hits += self.recent.search(vector, limit)
        return sorted(hits, key=lambda hit: -hit[1])[:limit]

    def get(self, paper_id: int) -> Vectors | None:
        vector = self.recent.get(paper_id)
        return vector if vector is not None else self.base.get(paper_id)

    def save(self, path: Path) -> None:
        """Nothing to save: the indexer builds the file from the rows."""


def _atomic_save(path: Path, **arrays: npt.NDArray[np.generic]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]
    temporary.replace(path)

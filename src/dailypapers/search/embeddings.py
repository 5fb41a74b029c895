"""Sentence embeddings for semantic search: the Embedder role and its implementations.

OnnxEmbedder runs all-MiniLM-L6-v2 (fused int8 ONNX, made by tools/export_model.sh) on ONNX
Runtime with the `tokenizers` library, so the product needs no torch. See model/README.md and
docs/search.md, "Embedding" (the variants measured).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

MODEL_DIRECTORY = Path(__file__).resolve().parent / "model"
# Changing the model or how texts are cut changes the vectors: a new id makes the indexer
# re-embed every paper (SearchDocument.model_id) and the engine load only the new vectors.
MODEL_ID = "all-MiniLM-L6-v2/onnx-int8-fused"
# The model was trained with 256-token inputs (sentence-transformers' max_seq_length).
TRAINED_TOKENS = 256
# Cut shorter, abstracts embed faster but rank worse: 192 tokens lost 0.004 of hybrid nDCG@10
# on SciFact, 128 tokens 0.009 (docs/search.md, "Embedding").
MAX_TOKENS = 256
# Dynamic int8 quantization picks one activation scale per tensor, so in a batch of several
# texts each one's vector shifts with its batch mates (cosine ~0.995 to itself alone). One text
# per run makes a vector a function of its text only, and on CPU costs nothing (no padding):
# texts, not batches, run in parallel (OnnxEmbedder.embed).
BATCH_SIZE = 1

Vectors = npt.NDArray[np.float32]


class EmbedderUnavailable(RuntimeError):
    """No embedding model can run here: callers fall back to lexical search."""


class Embedder(Protocol):
    """Turns texts into L2-normalized float32 vectors, one row per text, in input order."""

    dimension: int
    model_id: str

    def embed(self, texts: list[str]) -> Vectors: ...


def paper_text(title: str, abstract: str) -> str:
    """The text embedded for a paper: its title as a sentence, then its abstract."""
    title = " ".join(title.split())
    abstract = " ".join(abstract.split())
    if not title or not abstract:
        return title or abstract
    separator = " " if title[-1] in ".?!" else ". "
    return title + separator + abstract


class NullEmbedder:
    """An embedder that is never available (tests and deployments without the model)."""

    dimension = 0
    model_id = "null"

    def __init__(self, reason: str = "no embedding model is configured") -> None:
        self.reason = reason

    def embed(self, texts: list[str]) -> Vectors:
        raise EmbedderUnavailable(self.reason)


class OnnxEmbedder:
    """all-MiniLM-L6-v2 on ONNX Runtime: mean pooling over real tokens, then L2 normalization.

    `embed` sorts the texts by length, cuts them into batches of `batch_size`, runs up to
    `threads` batches at once, each model run on one core (texts, not matrix tiles, are what
    parallelizes well at these sizes: half the CPU time per paper of one run on two cores),
    and returns the rows in input order. `threads` is SEARCH_EMBED_THREADS in the indexer,
    SEARCH_QUERY_THREADS in a web process. With `concurrent=False` one run at a time uses
    every thread instead (the previous way, kept as the benchmark's reference).
    """

    model_id = MODEL_ID

    def __init__(
        self,
        directory: Path | None = None,
        *,
        threads: int | None = None,
        batch_size: int = BATCH_SIZE,
        max_tokens: int = MAX_TOKENS,
        concurrent: bool = True,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        directory = directory or MODEL_DIRECTORY
        model_path, tokenizer_path = directory / "model.onnx", directory / "tokenizer.json"
        if not (model_path.is_file() and tokenizer_path.is_file()):
            raise EmbedderUnavailable(f"no model.onnx and tokenizer.json in {directory}")
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # Padding is done per batch below, after sorting by length.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens)
        self.threads, self.batch_size, self.max_tokens = (
            threads or available_cores(),
            batch_size,
            max_tokens,
        )
        self.concurrent = concurrent and self.threads > 1
        self.session = onnxruntime.InferenceSession(
            str(model_path),
            session_options(1 if self.concurrent else self.threads),
            providers=["CPUExecutionProvider"],
        )
        self.input_names = {node.name for node in self.session.get_inputs()}
        output = self.session.get_outputs()[0]
        self.output_name, self.dimension = output.name, int(output.shape[-1])
        self._pool: ThreadPoolExecutor | None = None

    def describe(self) -> str:
        runs = f"{self.threads} runs at once" if self.concurrent else f"{self.threads} threads"
        return f"{self.model_id}, batches of {self.batch_size}, {self.max_tokens} tokens, {runs}"

    def embed(self, texts: list[str]) -> Vectors:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts)
        # Texts of similar length share a batch, so padding stays small.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [
            order[start : start + self.batch_size]
            for start in range(0, len(order), self.batch_size)
        ]
        token_ids = [[encodings[i].ids for i in rows] for rows in batches]
        for rows, batch in zip(batches, self._run_all(token_ids), strict=True):
            vectors[rows] = batch
        return vectors

    def _run_all(self, token_ids: list[list[list[int]]]) -> Iterator[Vectors]:
        if not self.concurrent or len(token_ids) < 2:
            return map(self._embed_batch, token_ids)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="onnx-embed")
        return self._pool.map(self._embed_batch, token_ids)

    def _embed_batch(self, token_ids: list[list[int]]) -> Vectors:
        ids = np.zeros((len(token_ids), max(map(len, token_ids))), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(token_ids):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (hidden,) = self.session.run(
            [self.output_name], {k: v for k, v in feeds.items() if k in self.input_names}
        )
        return _normalize(_mean_pool(hidden, mask))


def session_options(threads: int) -> Any:
    """ONNX Runtime's options for one session whose runs each use `threads` threads."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return options


def _mean_pool(hidden: npt.NDArray[np.float32], mask: npt.NDArray[np.int64]) -> Vectors:
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    return summed / np.maximum(weights.sum(axis=1), 1e-9)


def _normalize(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least one."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1

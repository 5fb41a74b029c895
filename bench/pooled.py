"""A document embedder whose later layers read fewer tokens (tools/distill_pooled.py, a variant
docs/search.md compares, "Session 16"): `head.onnx` (the embeddings and the first layers)
reads every token; then, the [CLS] state kept as it is, each run of `factor` adjacent token
states is averaged into one; `tail.onnx` (the other layers) reads those; the vector is their
mean weighted by how many tokens each stands for, normalized. One text per run, texts in
parallel, as the shipped OnnxEmbedder runs them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from dailypapers.search.embeddings import MAX_TOKENS, available_cores, session_options

DIMENSION = 384


class PooledEmbedder:
    def __init__(
        self,
        directory: Path,
        *,
        factor: int = 4,
        threads: int | None = None,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens)
        self.factor, self.max_tokens = factor, max_tokens
        self.threads, self.dimension = threads or available_cores(), DIMENSION
        self.model_id = f"pooled-{directory.name}-x{factor}"
        self.head, self.tail = (
            onnxruntime.InferenceSession(
                str(directory / name), session_options(1), providers=["CPUExecutionProvider"]
            )
            for name in ("head.onnx", "tail.onnx")
        )
        self._pool: ThreadPoolExecutor | None = None

    def describe(self) -> str:
        return f"{self.model_id}, {self.max_tokens} tokens, {self.threads} runs at once"

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="pooled-embed")
        encodings = self.tokenizer.encode_batch(texts)
        rows = list(self._pool.map(self._embed_one, [e.ids for e in encodings]))
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension)

    def _embed_one(self, tokens: list[int]) -> np.ndarray:
        ids = np.array([tokens], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        feeds["token_type_ids"] = np.zeros_like(ids)
        (states,) = self.head.run(None, feeds)
        pooled, weights = pool(states[0], self.factor)
        (hidden,) = self.tail.run(None, {"hidden": pooled[None]})
        vector = (hidden[0] * weights[:, None]).sum(axis=0) / weights.sum()
        return vector / max(float(np.linalg.norm(vector)), 1e-12)


def pool(states: np.ndarray, factor: int) -> tuple[np.ndarray, np.ndarray]:
    """[CLS] as it is, then the mean of each `factor` adjacent states (the last run may be
    shorter); the states and how many tokens each stands for."""
    rest = states[1:]
    groups = -(-len(rest) // factor)
    weights = np.full(groups + 1, factor, dtype=np.float32)
    weights[0] = 1
    if short := groups * factor - len(rest):
        rest = np.vstack([rest, np.zeros((short, states.shape[1]), dtype=states.dtype)])
        weights[-1] = factor - short
    means = rest.reshape(groups, factor, -1).sum(axis=1) / weights[1:, None]
    return np.vstack([states[:1], means]).astype(np.float32), weights

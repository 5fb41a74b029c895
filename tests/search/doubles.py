"""Embedder doubles for the failure modes a real model shows here only by accident.

WordHashEmbedder is a real (bag-of-words) embedder, small and deterministic, so the hybrid
logic can be tested without loading the ONNX model; the others fail on purpose.
"""

from __future__ import annotations

import hashlib
import re
import time

import numpy as np

from dailypapers.search.embeddings import EmbedderUnavailable

DIMENSION = 384


class WordHashEmbedder:
    dimension = DIMENSION
    model_id = "test/word-hash"

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        rows = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            for word in re.findall(r"\w+", text.lower()):
                seed = int(hashlib.md5(word.encode()).hexdigest()[:8], 16)
                row += np.random.default_rng(seed).normal(size=DIMENSION).astype(np.float32)
            norm = np.linalg.norm(row)
            row /= norm if norm else 1.0
        return rows


class SlowEmbedder(WordHashEmbedder):
    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def embed(self, texts: list[str]) -> np.ndarray:
        time.sleep(self.seconds)
        return super().embed(texts)


class BrokenEmbedder(WordHashEmbedder):
    def embed(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("CUDA out of memory (pretend)")


class UnavailableEmbedder(WordHashEmbedder):
    def embed(self, texts: list[str]) -> np.ndarray:
        raise EmbedderUnavailable("the model files are missing")

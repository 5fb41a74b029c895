"""The summaries tests' embedder: the shipped model, loaded once (it holds no state)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from dailypapers.search.embeddings import OnnxEmbedder

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "arxiv_sample_2k.jsonl.gz"


@pytest.fixture(scope="session")
def embedder() -> OnnxEmbedder:
    return OnnxEmbedder(threads=1, batch_size=32)


def real_papers(count: int) -> list[dict[str, Any]]:
    """The first `count` real arXiv papers of the recorded sample (metadata CC0)."""
    with gzip.open(SAMPLE, "rt") as lines:
        return [json.loads(line) for line, _ in zip(lines, range(count), strict=False)]

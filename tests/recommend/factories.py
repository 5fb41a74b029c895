"""Papers in the feed with stored vectors, as the search indexer leaves them, embedded by the
small word-hash embedder (tests/search/doubles.py): papers sharing words are close."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dailypapers.papers.models import Paper
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.models import SearchDocument
from tests.papers.factories import add_paper
from tests.search.doubles import WordHashEmbedder

EMBEDDER = WordHashEmbedder()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[SearchEngine]:
    """The process's engine with the word-hash model, whose vectors the feed compares."""
    engine = SearchEngine(tmp_path, EMBEDDER, in_database=False)
    reset_engine(engine)
    yield engine
    reset_engine(None)


def embedded(title: str, day: date | None = date(2025, 1, 3), **fields: Any) -> Paper:
    """A paper in the feed on `day` with its vector stored."""
    paper = add_paper(day, title=title, **fields)
    vector = EMBEDDER.embed([title])[0]
    SearchDocument.objects.update_or_create(
        paper=paper,
        defaults={"content_hash": "x", "model_id": EMBEDDER.model_id, "vector": vector.tobytes()},
    )
    return paper

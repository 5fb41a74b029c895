"""What search has indexed: one row per paper with the vector and the hashes of its text.

The rows are the durable record; the on-disk lexical and vector indexes are derived from
them and rebuilt by `dailypapers search reindex` (see docs/search.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.db import models

from dailypapers.papers.models import Paper


class SearchDocument(models.Model):
    paper = models.OneToOneField(
        Paper, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    # Hash of everything the lexical index holds; a change means "index again".
    content_hash = models.CharField(max_length=32)
    # Hash of the embedded text (title + abstract) and the model that embedded it.
    text_hash = models.CharField(max_length=32, blank=True)
    model_id = models.CharField(max_length=100, blank=True)
    vector = models.BinaryField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Every process's catch-up asks for one model's vectors saved after a moment.
        indexes = [models.Index(fields=["model_id", "indexed_at"], name="search_doc_catch_up")]

    def __str__(self) -> str:
        return f"search document of paper {self.paper_id}"


def stored_vectors(paper_ids: Sequence[int], model_id: str) -> dict[int, tuple[str, np.ndarray]]:
    """These papers' stored vectors by `model_id`, each with the hash of the text embedded.
    Read by paper id alone, the model checked here: with `model_id` in the query, SQLite's
    planner walks the (model_id, indexed_at) index, every document of the model."""
    found = {}
    for start in range(0, len(paper_ids), 2000):
        rows = SearchDocument.objects.filter(paper_id__in=paper_ids[start : start + 2000])
        for pk, model, text_hash, blob in rows.values_list(
            "paper_id", "model_id", "text_hash", "vector"
        ):
            if model == model_id and blob is not None:
                found[pk] = (text_hash, np.frombuffer(bytes(blob), dtype=np.float32))
    return found

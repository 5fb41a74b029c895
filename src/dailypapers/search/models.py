"""What search has indexed: one row per paper with the vector and the hashes of its text.

The rows are the durable record; the on-disk lexical and vector indexes are derived from
them and rebuilt by `dailypapers search reindex` (see docs/search.md).
"""

from __future__ import annotations

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

"""A paper's one-sentence summary and keywords, with what made them (docs/summaries.md)."""

from __future__ import annotations

from django.db import models

from dailypapers.papers.models import Paper


class PaperSummary(models.Model):
    paper = models.OneToOneField(
        Paper, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    sentence = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    # The method and embedding model (summarizer.method_id): another one means "make again".
    method = models.CharField(max_length=100)
    # Hash of the title and abstract summarized: a changed abstract means "make again".
    text_hash = models.CharField(max_length=32)
    made_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"summary of paper {self.paper_id}"

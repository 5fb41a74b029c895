"""What members do with papers: votes (and, later, comments and collections)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dailypapers.papers.models import Paper


class Vote(models.Model):
    """One member's upvote of one paper; Paper.local_upvotes counts these rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="one_vote_per_paper")]

    def __str__(self) -> str:
        return f"{self.user_id} upvoted {self.paper_id}"

"""What the personal feed keeps per member: their feedback on papers, their choices (hide
seen, picked categories and authors, the private feed token) and the stored scores of the
feed window's papers, so /for-you reads a ranked table instead of scoring (docs/recommend.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dailypapers.papers.models import Paper


class Feedback(models.Model):
    """A member's "not relevant" (a negative signal, never shown again) or "seen" on a paper."""

    class Kind(models.TextChoices):
        NOT_RELEVANT = "not-relevant", "Not relevant"
        SEEN = "seen", "Seen"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="paper_feedback"
    )
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "paper", "kind"], name="feedback_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.paper_id}"


class ReaderChoices(models.Model):
    """One member's settings of the personal feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_choices"
    )
    hide_seen = models.BooleanField(default=False)
    # Picked on the short start: space-separated categories, one author name a line.
    categories = models.TextField(blank=True)
    authors = models.TextField(blank=True)
    # The private RSS/Atom feed's secret; a new one revokes the old (empty: no feed).
    feed_token = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"choices of {self.user_id}"

    @property
    def category_list(self) -> list[str]:
        return self.categories.split()

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]


class ScoreState(models.Model):
    """How far a member's stored scores have caught up: the signals they were computed from
    and the feed entries and vectors there were then; any change is caught up on next read."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="score_state"
    )
    signature = models.CharField(max_length=200)
    window_start = models.DateField()
    entries_through = models.BigIntegerField(default=0)
    vectors_through = models.DateTimeField(null=True, blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"scores of {self.user_id} from {self.window_start}"


class ScoredPaper(models.Model):
    """One feed-window paper's score for one member, with the reason shown on its card."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    score = models.FloatField()
    because = models.ForeignKey(
        Paper, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="scored_paper_once")]
        indexes = [models.Index(fields=["user", "day", "score"], name="scored_by_member_day")]

    def __str__(self) -> str:
        return f"{self.paper_id} for {self.user_id}: {self.score:.3f}"


class TermStatistics(models.Model):
    """How many papers hold each term bucket (recommend/terms.py), counted from the papers
    table and caught up by the background job: derived, rebuilt from the database on any
    host by emptying it (docs/recommend.md, "Method"). One row."""

    papers = models.BigIntegerField(default=0)
    # The highest paper id counted: papers above it are counted on the next catch-up.
    papers_through = models.BigIntegerField(default=0)
    # terms.BUCKETS little-endian int32 counts.
    counts = models.BinaryField()
    # The terms.VERSION the counts were cut with: another one, they are counted again.
    terms_version = models.PositiveIntegerField(default=1)
    # Counting again from the first paper (new, emptied or another cut) and not yet caught up
    # with the newest: scores ranked meanwhile are computed again once it is (profiles.signature).
    recounting = models.BooleanField(default=False)
    counted_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"term statistics of {self.papers} papers"

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


class Comment(models.Model):
    """A member's Markdown comment on a paper, or a reply to one (one level deep)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField()
    # Rendered once when written: pages never run Markdown (community/markdown.py).
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Deleted by its author: kept as a stub so replies keep their place, not counted.
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Hidden by staff (moderation): not shown, not counted.
    is_hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["paper", "created_at"], name="comment_paper_time")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.paper_id}"

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and not self.is_hidden


class Collection(models.Model):
    """A member's named list of papers; public ones have a shareable page."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    description = models.TextField(blank=True)
    is_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="collection_slug_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "paper"], name="paper_once_per_collection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.paper_id} in {self.collection_id}"


class RateCount(models.Model):
    """How many times one member or one address did one action in its current window (the
    rate limits of community/ratelimits.py); a row whose window has ended counts as none."""

    subject = models.CharField(max_length=400, unique=True)  # "vote:60:member:12"
    # Seconds since the epoch: plain arithmetic in SQL. Not indexed: every count names it in
    # its UPDATE, and SQLite rewrites an index entry for each column an UPDATE names; the
    # occasional cleanup reads the few rows (one per active member and address) anyway.
    ends_at = models.FloatField()
    actions = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.subject}: {self.actions} until {self.ends_at}"


class SubmissionRequest(models.Model):
    """A member's submission while arXiv is asked about it in the background (submissions.py):
    pending, then accepted (with its paper) or refused (with the rule and the reason)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        REFUSED = "refused"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    arxiv_id = models.CharField(max_length=32)
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    paper = models.ForeignKey(Paper, null=True, blank=True, on_delete=models.SET_NULL)
    rule = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["member", "-requested_at"], name="submission_member_recent")
        ]

    def __str__(self) -> str:
        return f"{self.arxiv_id} by {self.member_id}: {self.status}"

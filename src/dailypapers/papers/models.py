"""Papers and their appearances in the daily feed: the records every other feature reads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.urls import reverse


class TitleKey(models.Func):
    """What a title is looked up by (a library import's title match, migration 0010): its
    first 64 characters, lower-cased by the database's own lower(), for a column or a value.
    The numbers are written into the SQL, not bound, so that SQLite sees the index's own
    expression in the query."""

    template = "LOWER(SUBSTR(%(expressions)s, 1, 64))"
    output_field = models.TextField()


def titled(title: str) -> models.QuerySet[Paper]:
    """The papers with this title, case aside, hidden ones too: the index of title keys finds
    the few that start alike, then the whole title is compared."""
    papers = Paper.objects.alias(key=TitleKey("title")).filter(key=TitleKey(Value(title)))
    return papers.filter(title__iexact=title).order_by()


class Paper(models.Model):
    """One arXiv paper, stored once whatever the number of sources that brought it."""

    arxiv_id = models.CharField(max_length=64, unique=True, help_text="Without version.")
    version = models.PositiveIntegerField(default=0, help_text="Latest version seen; 0 unknown.")
    title = models.TextField()
    abstract = models.TextField(blank=True)
    # Ordered names; PaperAuthor indexes the same names for /authors/<name>.
    authors = models.JSONField(default=list)
    # Space-separated, primary first, as arXiv's own metadata writes them.
    categories = models.CharField(max_length=512, blank=True)
    primary_category = models.CharField(max_length=64, blank=True, db_index=True)
    comment = models.TextField(blank=True)
    journal_ref = models.TextField(blank=True)
    doi = models.CharField(max_length=256, blank=True)
    published = models.DateTimeField(null=True, blank=True, db_index=True)
    updated = models.DateTimeField(null=True, blank=True)
    github_repo = models.URLField(max_length=512, blank=True)
    github_stars = models.PositiveIntegerField(null=True, blank=True)
    project_page = models.URLField(max_length=512, blank=True)
    # Upvotes and comments a source reported (Hugging Face); local ones are counted separately.
    source_upvotes = models.PositiveIntegerField(default=0)
    local_upvotes = models.PositiveIntegerField(default=0)
    source_comments = models.PositiveIntegerField(default=0)
    local_comments = models.PositiveIntegerField(default=0)
    # Hidden by staff (moderation): left out of every listing, search and page; see
    # docs/operations.md, "Moderation".
    # db_default too: ingest inserts new papers in raw SQL (ingest/upsert.py), naming no flag.
    is_hidden = models.BooleanField(default=False, db_default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Papers known only from an announcement feed have no date yet: last, on every database.
        ordering = [models.F("published").desc(nulls_last=True)]
        # A library import finds papers by DOI (case-insensitive) and by title (migration 0010).
        indexes = [
            models.Index(Lower("doi"), name="paper_doi_key", condition=~models.Q(doi="")),
            models.Index(TitleKey("title"), name="paper_title_key"),
        ]

    def __str__(self) -> str:
        return f"{self.arxiv_id}: {self.title[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("papers:paper", args=[self.arxiv_id])

    @property
    def upvotes(self) -> int:
        return self.source_upvotes + self.local_upvotes

    @property
    def num_comments(self) -> int:
        return self.source_comments + self.local_comments

    @property
    def category_list(self) -> list[str]:
        return self.categories.split()

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}"


class PaperAuthor(models.Model):
    """An author's place on a paper, with the paper's publication time and hidden flag (kept
    by database triggers, migration 0009), so an author's papers, newest first, are one index
    walked in order."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="author_rows")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=300)
    published_ts = models.BigIntegerField(default=0, db_default=0, editable=False)
    hidden = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["name", "published_ts", "paper", "hidden"], name="paperauthor_newest"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "position"], name="paperauthor_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DailyEntry(models.Model):
    """A paper's appearance in the daily feed: which day, submitted by whom, through what."""

    class Source(models.TextChoices):
        HF_DAILY = "hf-daily", "Hugging Face daily papers"
        ARXIV_RSS = "arxiv-rss", "arXiv announcement feed"
        ARXIV_API = "arxiv-api", "arXiv API"
        OAI_PMH = "oai-pmh", "arXiv OAI-PMH"
        FILE = "file", "Local file"
        MEMBER = "member", "Member submission"

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="daily_entry")
    day = models.DateField(db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    submitter_name = models.CharField(max_length=150, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # The paper's sort keys, copied by database triggers (migration 0004) whenever the paper or
    # the entry is written, so listings walk one index in feed order; never set them here.
    # see docs/ranking.md, "Performance"
    upvotes = models.IntegerField(default=0, db_default=0, editable=False)
    published_ts = models.BigIntegerField(default=0, db_default=0, editable=False)
    hidden = models.BooleanField(default=False, db_default=False, editable=False)
    # Whether the paper names a code repository (github_repo), copied by triggers (migration
    # 0008) so the "has code" filter walks its own index; see docs/ranking.md, "Performance".
    has_code = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        verbose_name_plural = "daily entries"
        indexes = [
            # Day, then the feed order (upvotes, recency, id); `hidden` makes it covering.
            models.Index(
                fields=["day", "upvotes", "published_ts", "paper", "hidden"],
                name="entry_feed_order",
            ),
            models.Index(
                fields=["submitter_name", "day", "upvotes", "published_ts", "paper", "hidden"],
                name="entry_submitter_order",
            ),
            models.Index(fields=["published_ts", "paper", "hidden"], name="entry_newest"),
            models.Index(
                fields=["has_code", "day", "upvotes", "published_ts", "paper", "hidden"],
                name="entry_code_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.paper.arxiv_id}"


class EntryCategory(models.Model):
    """A feed entry listed under one of its paper's categories, with the entry's sort keys:
    written only by database triggers (migration 0005), so a category's listing is one index
    walked in feed order. see docs/ranking.md, "Performance"."""

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="entry_categories", db_index=False
    )
    category = models.CharField(max_length=512)
    day = models.DateField()
    upvotes = models.IntegerField(default=0, db_default=0)
    published_ts = models.BigIntegerField(default=0, db_default=0)
    hidden = models.BooleanField(default=False, db_default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["category", "day", "upvotes", "published_ts", "paper", "hidden"],
                name="entrycategory_feed_order",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["paper", "category"], name="entrycategory_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.day} {self.paper_id}"


class DayCount(models.Model):
    """How many visible papers a feed day lists: written only by database triggers on the
    entries (migration 0006); zero rows stay, so read `entries__gt=0`."""

    day = models.DateField(primary_key=True)
    entries = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.entries}"


class DayCategoryCount(models.Model):
    """How many visible papers a feed day lists under one category: written only by database
    triggers on EntryCategory (migration 0007); zero rows stay, so read `entries__gt=0`."""

    day = models.DateField()
    category = models.CharField(max_length=512)
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "category"], name="daycategorycount_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category}: {self.entries}"

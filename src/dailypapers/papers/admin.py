"""Papers in the admin: staff find a paper and hide it (or show it again); see
docs/operations.md, "Moderation". At 3M papers Django's defaults would count every paper
twice, sort them all by date and read every title for a word, so the list walks the
primary key, counts at most COUNT_BOUND papers, and a search uses indexes only."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils.functional import cached_property

from dailypapers.papers import moderation
from dailypapers.papers.models import Paper, titled
from dailypapers.search.query import arxiv_id_in, parse_query

log = logging.getLogger(__name__)

COUNT_BOUND = 10_000  # the list says "10001" beyond: a search narrows it
FOUND_BOUND = 500  # papers each kind of search match adds at most


class BoundedCountPaginator(Paginator):
    """Counts the list's rows up to COUNT_BOUND + 1, not the whole table."""

    @cached_property
    def count(self) -> int:
        rows: QuerySet[Paper] = self.object_list  # type: ignore[assignment]  # admin: a QuerySet
        return rows[: COUNT_BOUND + 1].count()


def matching_ids(term: str) -> set[int]:
    """Papers a staff search means, hidden ones too, every lookup by index: a DOI or a whole
    title (case aside), and the words of a title in the keyword index (which keeps hidden
    papers: searches leave them out when they read it)."""
    term = " ".join(term.split())
    papers = Paper.objects.order_by()
    by_doi = papers.exclude(doi="").alias(key=Lower("doi")).filter(key=term.lower())
    found = set(by_doi.values_list("id", flat=True)[:FOUND_BOUND])
    found.update(titled(term).values_list("id", flat=True)[:FOUND_BOUND])
    return found | _title_words(term)


def _title_words(term: str) -> set[int]:
    from dailypapers.search.engine import get_engine

    try:
        hits = get_engine().lexical.search(parse_query(term), FOUND_BOUND, fields=["title"])
    except Exception:  # noqa: BLE001 - a missing keyword index leaves the other lookups
        log.exception("the keyword index could not be searched for %r", term)
        return set()
    return {hit.paper_id for hit in hits}


class HiddenFilter(admin.SimpleListFilter):
    """Hidden or not; `IN (true)` rather than a bare `WHERE is_hidden`, which SQLite reads
    by scanning the table instead of the index on the flag."""

    title = "hidden"
    parameter_name = "hidden"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Paper]) -> QuerySet[Paper]:
        if self.value() in ("yes", "no"):
            return queryset.filter(is_hidden__in=[self.value() == "yes"])
        return queryset


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ("arxiv_id", "title", "published", "is_hidden")
    list_filter = (HiddenFilter,)
    search_fields = ("arxiv_id", "title")  # shows the box; get_search_results searches
    search_help_text = "An arXiv id or URL, a DOI, a whole title, or words of a title."
    ordering = ("-id",)  # the latest stored first, along the primary key
    paginator = BoundedCountPaginator
    show_full_result_count = False
    # Counts are kept by votes, comments and moderation; hiding goes through the actions.
    readonly_fields = (
        "is_hidden",
        "source_upvotes",
        "local_upvotes",
        "source_comments",
        "local_comments",
    )
    actions = ("hide", "unhide")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Paper], search_term: str
    ) -> tuple[QuerySet[Paper], bool]:
        if not search_term.strip():
            return queryset, False
        if arxiv_id := arxiv_id_in(search_term):
            return queryset.filter(arxiv_id=arxiv_id), False
        return queryset.filter(id__in=matching_ids(search_term)), False

    @admin.action(description="Hide the selected papers")
    def hide(self, request: HttpRequest, queryset: QuerySet[Paper]) -> None:
        changed = moderation.set_papers_hidden(queryset.values_list("pk", flat=True), True)
        self.message_user(request, f"{changed} paper(s) hidden.", messages.SUCCESS)

    @admin.action(description="Unhide the selected papers")
    def unhide(self, request: HttpRequest, queryset: QuerySet[Paper]) -> None:
        changed = moderation.set_papers_hidden(queryset.values_list("pk", flat=True), False)
        self.message_user(request, f"{changed} paper(s) shown again.", messages.SUCCESS)

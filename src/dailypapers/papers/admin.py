"""Papers in the admin: staff find a paper and hide it (or show it again); see
docs/operations.md, "Moderation"."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from dailypapers.papers import moderation
from dailypapers.papers.models import Paper


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ("arxiv_id", "title", "published", "is_hidden")
    list_filter = ("is_hidden",)
    search_fields = ("arxiv_id", "title")
    # Counts are kept by votes, comments and moderation; hiding goes through the actions.
    readonly_fields = (
        "is_hidden",
        "source_upvotes",
        "local_upvotes",
        "source_comments",
        "local_comments",
    )
    actions = ("hide", "unhide")

    @admin.action(description="Hide the selected papers")
    def hide(self, request: HttpRequest, queryset: QuerySet[Paper]) -> None:
        changed = moderation.set_papers_hidden(queryset.values_list("pk", flat=True), True)
        self.message_user(request, f"{changed} paper(s) hidden.", messages.SUCCESS)

    @admin.action(description="Unhide the selected papers")
    def unhide(self, request: HttpRequest, queryset: QuerySet[Paper]) -> None:
        changed = moderation.set_papers_hidden(queryset.values_list("pk", flat=True), False)
        self.message_user(request, f"{changed} paper(s) shown again.", messages.SUCCESS)

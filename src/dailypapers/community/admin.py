"""Comments in the admin: staff hide one (or show it again) through comments.set_hidden, so the
paper's comment count stays true; see docs/operations.md, "Moderation"."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from dailypapers.community import (
    member_admin,  # noqa: F401 - registers the member admin
    moderation,
)
from dailypapers.community.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("pk", "paper", "author", "created_at", "is_hidden")
    list_filter = ("is_hidden",)
    search_fields = ("body", "author__username", "paper__arxiv_id")
    list_select_related = ("paper", "author")
    raw_id_fields = ("paper", "author", "parent")
    readonly_fields = ("is_hidden", "deleted_at", "body_html")
    actions = ("hide", "unhide")

    @admin.action(description="Hide the selected comments")
    def hide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        moderation.set_comments_hidden(list(queryset.values_list("pk", flat=True)), True)
        self.message_user(request, "Comments hidden.", messages.SUCCESS)

    @admin.action(description="Unhide the selected comments")
    def unhide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        moderation.set_comments_hidden(list(queryset.values_list("pk", flat=True)), False)
        self.message_user(request, "Comments shown again.", messages.SUCCESS)

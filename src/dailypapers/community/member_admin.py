"""Members in the admin: an operator confirms an address by hand, and staff hide a member (or
show them again) from the user or profile list; see docs/operations.md, "Moderation".
Registered from community/admin.py: hiding a member is the community's moderation, and
accounts/ imports nothing of the community."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from dailypapers.accounts.models import Profile
from dailypapers.community import moderation

HIDE = "Hide the selected members (their comments too; their votes stop counting)"
UNHIDE = "Unhide the selected members (all their comments shown again)"


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "display_name", "email_verified", "upvotes_public", "is_hidden")
    list_filter = ("email_verified", "upvotes_public", "is_hidden")
    search_fields = ("user__username", "user__email", "display_name")
    readonly_fields = ("is_hidden",)
    actions = ("hide", "unhide")

    @admin.action(description=HIDE)
    def hide(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        _set_hidden(request, self, queryset.values_list("user_id", flat=True), True)

    @admin.action(description=UNHIDE)
    def unhide(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        _set_hidden(request, self, queryset.values_list("user_id", flat=True), False)


admin.site.unregister(User)


@admin.register(User)
class MemberAdmin(UserAdmin):
    """Django's user admin plus the moderation actions, for accounts without a profile yet."""

    actions = ("hide", "unhide")

    @admin.action(description=HIDE)
    def hide(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _set_hidden(request, self, queryset.values_list("pk", flat=True), True)

    @admin.action(description=UNHIDE)
    def unhide(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _set_hidden(request, self, queryset.values_list("pk", flat=True), False)


def _set_hidden(
    request: HttpRequest, model_admin: admin.ModelAdmin, user_ids: QuerySet, hidden: bool
) -> None:
    ids = list(user_ids)
    moderation.set_members_hidden(ids, hidden)
    done = "hidden" if hidden else "shown again"
    model_admin.message_user(request, f"{len(ids)} member(s) {done}.", messages.SUCCESS)

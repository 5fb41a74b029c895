"""Profiles in the admin, so an operator can confirm an address by hand."""

from django.contrib import admin

from dailypapers.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "display_name", "email_verified", "upvotes_public")
    list_filter = ("email_verified", "upvotes_public")
    search_fields = ("user__username", "user__email", "display_name")

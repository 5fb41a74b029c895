"""Staff see subscriptions and the outbox in the admin (read mostly; sending is the worker's)."""

from django.contrib import admin

from dailypapers.digest.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "frequency", "confirmed_at", "unsubscribed_at", "disabled_at")
    search_fields = ("email",)
    list_filter = ("frequency",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("period_key", "subscription", "status", "attempts", "sent_at")
    list_filter = ("status",)
    raw_id_fields = ("subscription",)

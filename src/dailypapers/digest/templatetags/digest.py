"""{% member_digest as digest %}: a member's own subscription for their settings page, so the
accounts view needs no change."""

from __future__ import annotations

from typing import Any

from django import template

from dailypapers.accounts.verification import is_verified
from dailypapers.digest import subscriptions
from dailypapers.digest.forms import AlertForm
from dailypapers.digest.models import Subscription

register = template.Library()


@register.simple_tag(takes_context=True)
def member_digest(context: dict[str, Any]) -> dict[str, Any]:
    user = context["user"]
    subscription = subscriptions.find(user.email) if user.email else None
    return {
        "subscription": subscription,
        "token": subscriptions.manage_token(subscription) if subscription else "",
        "alerts": list(subscription.alerts.order_by("kind", "value")) if subscription else [],
        "alert_form": AlertForm(),
        "verified": is_verified(user),
        "frequencies": Subscription.Frequency.choices,
    }

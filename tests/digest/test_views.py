"""The preview of the next digest, the manage page from every email, and the digest section
of a member's settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dailypapers.digest import subscriptions
from dailypapers.digest.models import Alert, Delivery, Subscription
from dailypapers.digest.rounds import next_period
from tests.accounts.factories import make_member
from tests.digest.factories import subscribe
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


def test_preview_shows_the_next_digest_in_the_browser(client: Client) -> None:
    period = next_period("daily", timezone.now())
    fresh = add_paper(period.end, upvotes=7, title="A paper of the next digest period")
    add_paper(period.start - timedelta(days=10), upvotes=99, title="An old paper")
    subscription = subscribe("reader@example.org")
    token = subscriptions.manage_token(subscription)
    response = client.get(f"/digest/preview/{token}")
    assert response.status_code == 200
    page = response.content.decode()
    assert fresh.title in page and "An old paper" not in page
    assert "Unsubscribe" in page and "<script" not in page
    assert not Delivery.objects.exists(), "a preview queued or recorded a digest"


def test_manage_page_changes_the_frequency_and_alerts_without_login(client: Client) -> None:
    subscription = subscribe("reader@example.org")
    url = f"/digest/manage/{subscriptions.manage_token(subscription)}"
    assert "reader@example.org" in client.get(url).content.decode()
    client.post(url, {"action": "frequency", "frequency": "weekly"})
    client.post(url, {"action": "add_alert", "kind": "category", "value": "cs.CL"})
    client.post(url, {"action": "add_alert", "kind": "search", "value": "  diffusion   models "})
    subscription.refresh_from_db()
    assert subscription.frequency == "weekly"
    follows = sorted(subscription.alerts.values_list("kind", "value"))
    assert follows == [("category", "cs.CL"), ("search", "diffusion models")]
    alert = Alert.objects.get(kind="category")
    page = client.post(url, {"action": "remove_alert", "alert": str(alert.pk)}, follow=True)
    assert "The alert is removed" in page.content.decode()
    assert subscription.alerts.count() == 1


def test_a_member_subscribes_from_settings_at_once_and_manages_it_there(client: Client) -> None:
    member = make_member("ada")
    client.force_login(member)
    page = client.get("/accounts/settings").content.decode()
    assert "Email digest" in page and "Get trending papers at" in page
    response = client.post("/digest/subscribe/member", {"frequency": "weekly"})
    assert response["Location"] == "/accounts/settings"
    subscription = Subscription.objects.get(email="ada@example.org")
    assert subscription.is_active and subscription.user == member
    assert subscription.frequency == "weekly"

    page = client.get("/accounts/settings").content.decode()
    assert "gets the weekly digest" in page
    token = subscriptions.manage_token(subscription)
    follow = client.post(
        f"/digest/manage/{token}",
        {
            "action": "add_alert",
            "kind": "author",
            "value": "Grace Hopper",
            "next": "/accounts/settings",
        },
    )
    assert follow["Location"] == "/accounts/settings"
    assert "Grace Hopper" in client.get("/accounts/settings").content.decode()


def test_a_member_with_an_unconfirmed_address_must_confirm_first(client: Client) -> None:
    client.force_login(make_member("bob", verified=False))
    assert (
        "Confirm your email address to subscribe"
        in client.get("/accounts/settings").content.decode()
    )
    client.post("/digest/subscribe/member", {"frequency": "daily"})
    assert not Subscription.objects.exists()


def test_leaving_does_not_redirect_elsewhere(client: Client) -> None:
    subscription = subscribe("reader@example.org")
    url = f"/digest/manage/{subscriptions.manage_token(subscription)}"
    response = client.post(
        url, {"action": "frequency", "frequency": "daily", "next": "https://evil.example/"}
    )
    assert response["Location"] == url

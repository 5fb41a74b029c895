"""Hostile input: malformed addresses, header injection, forged and expired links, floods.
Each is refused with a clear message and nothing is sent or changed."""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client
from pytest_django import Settings

from dailypapers.digest import subscriptions
from dailypapers.digest.models import Alert, Subscription
from tests.digest.conftest import SmtpServer
from tests.digest.factories import subscribe

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "not an address",
        "reader@",
        "@example.org",
        "reader@example..org",
        "reader@example.org\r\nBcc: victim@example.net",
        "reader@example.org\nSubject: free money",
        "Reader <reader@example.org>",
        "reader@example.org, other@example.org",
        "reader\x00@example.org",
        "a" * 250 + "@example.org",
    ],
)
def test_malformed_addresses_are_refused_and_nothing_is_sent(
    client: Client, smtp: SmtpServer, address: str
) -> None:
    response = client.post("/digest/subscribe", {"email": address})
    assert response.status_code == 400
    page = response.content.decode()
    reasons = ["Enter a valid email address", "line breaks", "at most", "Null characters"]
    assert any(reason in page for reason in reasons)
    assert smtp.mailbox.received == []
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("search", "transformers\r\nBcc: victim@example.net", "Line breaks"),
        ("author", "Ada Lovelace\nX-Evil: 1", "Line breaks"),
        ("search", "quantum\x1b[31m", "control characters"),
        ("category", "cs.CL\n", "Line breaks"),
        ("category", "not a category", "Not an arXiv category"),
        ("search", "   ", "Say what to follow"),
        ("search", "x" * 301, "at most 300 characters"),
    ],
)
def test_alerts_refuse_line_breaks_control_characters_and_junk(
    client: Client, kind: str, value: str, message: str
) -> None:
    subscription = subscribe("reader@example.org")
    token = subscriptions.manage_token(subscription)
    response = client.post(
        f"/digest/manage/{token}", {"action": "add_alert", "kind": kind, "value": value}
    )
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not Alert.objects.exists()


def forged(subscription: Subscription) -> list[str]:
    genuine = subscriptions.confirm_token(subscription)
    other = subscribe("other@example.org")
    return [
        genuine[:-3] + ("abc" if not genuine.endswith("abc") else "xyz"),  # tampered signature
        signing.dumps({"id": other.pk, "email": "reader@example.org"}, salt="wrong salt"),
        signing.dumps({"id": other.pk, "email": "reader@example.org", "at": "x"}, key="guess"),
        subscriptions.manage_token(subscription),  # a manage link is not a confirmation
        "nonsense",
    ]


def test_forged_confirmation_links_are_refused(client: Client, smtp: SmtpServer) -> None:
    subscription = subscribe("reader@example.org", confirmed=False)
    for token in forged(subscription):
        response = client.get(f"/digest/confirm/{token}")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    subscription.refresh_from_db()
    assert not subscription.confirmed_at
    assert smtp.mailbox.received == []


def test_expired_confirmation_link_says_so(
    client: Client, smtp: SmtpServer, settings: Settings
) -> None:
    subscription = subscribe("late@example.org", confirmed=False)
    token = subscriptions.confirm_token(subscription)
    settings.DIGEST_CONFIRM_TIMEOUT = -1
    response = client.get(f"/digest/confirm/{token}")
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    subscription.refresh_from_db()
    assert not subscription.confirmed_at


def test_a_newer_confirmation_link_voids_the_older_one(client: Client, smtp: SmtpServer) -> None:
    client.post("/digest/subscribe", {"email": "twice@example.org"})
    subscription = Subscription.objects.get()
    old = subscriptions.confirm_token(subscription)
    client.post("/digest/subscribe", {"email": "twice@example.org"})
    assert client.get(f"/digest/confirm/{old}").status_code == 400
    subscription.refresh_from_db()
    newest = f"/digest/confirm/{subscriptions.confirm_token(subscription)}"
    assert client.get(newest).status_code == 200
    subscription.refresh_from_db()
    assert not subscription.confirmed_at  # showing the button confirms nothing
    assert client.post(newest).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at


@pytest.mark.parametrize("page", ["unsubscribe", "preview", "manage"])
def test_forged_links_from_emails_change_nothing(client: Client, page: str) -> None:
    subscription = subscribe("reader@example.org")
    victim = subscriptions.manage_token(subscribe("victim@example.org"))
    payload, _, signature = victim.rpartition(":")
    tampered = subscriptions.manage_token(subscription).rsplit(":", 1)[0] + ":" + signature
    for token in [tampered, payload + ":", "x" * 40]:
        assert client.get(f"/digest/{page}/{token}").status_code == 400
        assert client.post(f"/digest/{page}/{token}").status_code in {400, 405}
    assert Subscription.objects.filter(unsubscribed_at__isnull=False).count() == 0


def test_a_link_for_an_address_that_changed_is_refused(client: Client) -> None:
    subscription = subscribe("old@example.org")
    token = subscriptions.manage_token(subscription)
    Subscription.objects.filter(pk=subscription.pk).update(email="new@example.org")
    assert client.post(f"/digest/unsubscribe/{token}").status_code == 400
    assert Subscription.objects.get().unsubscribed_at is None


def test_subscribing_is_rate_limited_per_address_and_per_client(
    client: Client, smtp: SmtpServer, settings: Settings
) -> None:
    settings.DIGEST_SUBSCRIBE_PER_HOUR_PER_EMAIL = 2
    settings.DIGEST_SUBSCRIBE_PER_HOUR_PER_ADDRESS = 4
    codes = [client.post("/digest/subscribe", {"email": "target@example.org"}).status_code]
    codes.append(client.post("/digest/subscribe", {"email": "target@example.org"}).status_code)
    codes.append(client.post("/digest/subscribe", {"email": "target@example.org"}).status_code)
    assert codes == [200, 200, 429]
    assert len(smtp.mailbox.to("target@example.org")) == 2
    others = [
        client.post("/digest/subscribe", {"email": f"p{n}@example.org"}).status_code
        for n in range(3)
    ]
    assert others == [200, 200, 429]
    refused = client.post("/digest/subscribe", {"email": "last@example.org"})
    assert refused["Retry-After"] and "Please wait" in refused.content.decode()
    from_elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert from_elsewhere.post("/digest/subscribe", {"email": "q@example.org"}).status_code == 200


def test_subscribing_an_address_that_already_gets_digests_sends_nothing(
    client: Client, smtp: SmtpServer
) -> None:
    subscribe("known@example.org")
    response = client.post("/digest/subscribe", {"email": "known@example.org"})
    assert response.status_code == 200
    assert (
        "if <strong>known@example.org</strong> is not subscribed yet" in response.content.decode()
    )
    assert smtp.mailbox.received == []

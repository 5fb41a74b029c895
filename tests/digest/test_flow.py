"""The subscriber's whole path against a real SMTP server: subscribe, confirm, get a digest,
leave by the one-click POST or by the link; nothing is sent before confirmation."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from django.test import Client
from pytest_django import Settings

from dailypapers.digest.models import Delivery, Subscription
from dailypapers.digest.rounds import run_round
from tests.digest.conftest import SmtpServer, free_port
from tests.digest.factories import TUESDAY, html_part, links, monday_papers, subscribe, text_part

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def unsubscribe_link(smtp: SmtpServer, address: str) -> str:
    [digest] = smtp.mailbox.to(address)
    return str(digest["List-Unsubscribe"]).strip().strip("<>")


def test_subscribe_confirm_and_receive_a_digest(client: Client, smtp: SmtpServer) -> None:
    papers = monday_papers(3, abstract="We study attention. " * 40)
    response = client.post("/digest/subscribe", {"email": "Reader@Example.ORG"})
    assert response.status_code == 200
    assert "we sent it a link to confirm" in response.content.decode()

    [confirmation] = smtp.mailbox.to("Reader@example.org")
    assert confirmation["Subject"] == "Confirm your Daily Papers digest subscription"
    run_round(("daily",), TUESDAY)
    assert len(smtp.mailbox.received) == 1, "a digest went out before confirmation"

    link = next(url for url in links(text_part(confirmation)) if "/digest/confirm/" in url)
    scanned = client.get(link)  # a mail provider's link scanner: nothing may change
    assert "Confirm subscription" in scanned.content.decode()
    assert not Subscription.objects.get().confirmed_at
    page = client.post(link)
    assert page.status_code == 200 and "You are subscribed" in page.content.decode()

    report = run_round(("daily",), TUESDAY)
    assert report.sending.sent == 1
    digest = smtp.mailbox.to("Reader@example.org")[-1]
    assert digest.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in digest.iter_parts()] == ["text/plain", "text/html"]
    unsubscribe = str(digest["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and "/digest/unsubscribe/" in unsubscribe
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest["Message-ID"] == Delivery.objects.get().message_id
    text, html = text_part(digest), html_part(digest)
    for paper in papers:
        assert paper.title in text and paper.title in html
        assert paper.abs_url in text
    assert "Ada Lovelace, Alan Turing" in text
    assert "100 upvotes" in text
    assert "…" in text, "the abstract is not shortened to an excerpt"
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert 'style="' in html


def test_the_subscribe_box_is_on_every_page_and_works_without_javascript(
    smtp: SmtpServer,
) -> None:
    # Strict CSRF checks, as a browser meets them: the box carries no token (pages are the
    # same for every anonymous reader, so the page cache keeps them) and needs none.
    strict = Client(enforce_csrf_checks=True)
    page = strict.get("/").content.decode()
    box = re.search(r'<form class="digest-subscribe" method="post" action="([^"]+)">', page)
    assert box and box.group(1) == "/digest/subscribe"
    assert "csrfmiddlewaretoken" not in page
    response = strict.post(box.group(1), {"email": "box@example.org", "frequency": "weekly"})
    assert response.status_code == 200
    assert len(smtp.mailbox.to("box@example.org")) == 1


def test_one_click_unsubscribe_needs_no_login_and_no_csrf_token(smtp: SmtpServer) -> None:
    subscribe("one@example.org")
    monday_papers(1)
    run_round(("daily",), TUESDAY)
    link = unsubscribe_link(smtp, "one@example.org")

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        path_of(link),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None
    monday_papers(1)
    assert run_round(("daily",), TUESDAY).queued == 0


def test_unsubscribe_link_asks_then_leaves(client: Client, smtp: SmtpServer) -> None:
    subscribe("two@example.org")
    monday_papers(1)
    run_round(("daily",), TUESDAY)
    link = unsubscribe_link(smtp, "two@example.org")

    page = client.get(path_of(link))
    assert page.status_code == 200 and "Stop sending digests to" in page.content.decode()
    assert Subscription.objects.get().unsubscribed_at is None, "a GET (a link scanner) unsubscribed"
    form_action = re.search(r'<form method="post" action="([^"]+)">', page.content.decode())
    assert form_action
    done = client.post(form_action.group(1), {"List-Unsubscribe": "One-Click"})
    assert "You are unsubscribed" in done.content.decode()
    assert Subscription.objects.get().unsubscribed_at is not None


def test_subscribing_again_after_leaving_needs_a_new_confirmation(
    client: Client, smtp: SmtpServer
) -> None:
    subscription = subscribe("back@example.org")
    client.post(f"/digest/unsubscribe/{_token(subscription)}")
    client.post("/digest/subscribe", {"email": "back@example.org", "frequency": "weekly"})
    assert len(smtp.mailbox.to("back@example.org")) == 1
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.frequency == "weekly"


def _token(subscription: Subscription) -> str:
    from dailypapers.digest.subscriptions import manage_token

    return manage_token(subscription)


def test_when_the_mail_server_is_down_the_visitor_is_told(
    client: Client, settings: Settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    response = client.post("/digest/subscribe", {"email": "reader@example.org"})
    assert response.status_code == 503
    assert "We could not send the confirmation email" in response.content.decode()
    assert not Subscription.objects.get().confirmed_at

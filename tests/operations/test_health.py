"""/healthz for load balancers, and server errors reaching stderr and ADMINS."""

from __future__ import annotations

import io
import logging
import socket

from django.core import mail
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from pytest_django import Settings

from dailypapers.urls import urlpatterns as site_urls


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the disk caught fire")


urlpatterns = [path("broken", broken), *site_urls]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the socket is closed


def test_a_healthy_host_answers_200_with_each_check(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert [check["name"] for check in body["checks"]] == ["database", "cache"]
    assert all(check["ok"] for check in body["checks"])
    assert "no-store" in response["Cache-Control"]


def test_a_host_whose_cache_is_gone_answers_503(
    client: Client, db: None, settings: Settings
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    cache_check = next(check for check in body["checks"] if check["name"] == "cache")
    assert cache_check["ok"] is False and "Connection" in cache_check["error"]


def test_a_server_error_reaches_stderr_with_its_traceback_and_admins_by_mail(
    db: None, settings: Settings
) -> None:
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@example.org")]
    # The console handler writes to the stderr it was made with; pytest has that one, so the
    # test reads what the handler the settings configure writes.
    console = next(
        handler
        for handler in logging.getLogger("django.request").handlers
        if type(handler) is logging.StreamHandler
    )
    logged = io.StringIO()
    previous = console.setStream(logged)
    try:
        response = Client(raise_request_exception=False).get("/broken")
    finally:
        console.setStream(previous)
    assert response.status_code == 500
    text = logged.getvalue()
    assert "ERROR django.request: Internal Server Error: /broken" in text
    assert "Traceback" in text and "RuntimeError: the disk caught fire" in text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.org"]
    assert "the disk caught fire" in mail.outbox[0].body

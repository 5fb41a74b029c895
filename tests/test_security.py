"""Security headers: a CSP without inline scripts on every page, and, behind HTTPS, secure
cookies and HSTS (see docs/operations.md, "Security headers")."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings

from dailypapers.community import comments
from tests.accounts.factories import PASSWORD, make_member
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db

# A <script> element without a src attribute: inline code a strict CSP would block.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)  # onclick=..., onload=...
HTTPS_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
)


@pytest.fixture
def site() -> dict[str, str]:
    """One of each page type, with math and a comment, keyed by a name for the messages."""
    paper = add_paper(
        date(2025, 1, 3),
        arxiv_id="2501.00001",
        title="Mass and energy",
        abstract="We show that $E=mc^2$ holds.",
    )
    member = make_member("ada")
    comments.post_comment(member, paper.pk, "Nice *result*.")
    return {
        "home": "/",
        "day": "/date/2025-01-03",
        "week": "/week/2025-W01",
        "month": "/month/2025-01",
        "trending": "/trending",
        "paper": "/papers/2501.00001",
        "bibtex": "/papers/2501.00001.bib",
        "author": "/authors/Ada Lovelace",
        "search": "/search?q=energy",
        "login": "/accounts/login",
        "signup": "/accounts/signup",
        "profile": "/users/ada",
        "not found": "/papers/2501.99999",
        "admin login": "/admin/login/",
    }


def test_every_page_sends_the_security_headers(client: Client, site: dict[str, str]) -> None:
    for name, url in site.items():
        response = client.get(url)
        assert response.status_code in {200, 404}, name
        csp = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self';" in csp, name
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, name
        assert "camera=()" in response.headers.get("Permissions-Policy", ""), name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] == "same-origin", name


def test_no_page_has_an_inline_script(client: Client, site: dict[str, str]) -> None:
    for name, url in site.items():
        page = client.get(url).content.decode()
        assert INLINE_SCRIPT.findall(page) == [], name
        assert INLINE_HANDLER.findall(page) == [], name


def test_a_logged_in_members_pages_have_no_inline_script(client: Client) -> None:
    add_paper(date(2025, 1, 3), arxiv_id="2501.00001")
    client.force_login(make_member("ada"))
    for url in ("/", "/papers/2501.00001", "/users/ada"):
        assert INLINE_SCRIPT.findall(client.get(url).content.decode()) == [], url


def test_scripts_never_run_inline_or_through_eval(settings: Settings) -> None:
    directives = dict(
        part.strip().split(" ", 1) for part in settings.CONTENT_SECURITY_POLICY.split(";")
    )
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in directives["default-src"]


def test_an_empty_setting_sends_no_header(client: Client, settings: Settings) -> None:
    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in client.get("/").headers


def https_settings() -> dict[str, Any]:
    """The cookie and HSTS settings as the settings make them with HTTPS=true: read in a fresh
    interpreter, since settings are computed once at import."""
    code = (
        "import json, dailypapers.settings as s;"
        f"print(json.dumps({{name: getattr(s, name) for name in {HTTPS_SETTINGS!r}}}))"
    )
    environment = {**os.environ, "HTTPS": "true", "SECRET_KEY": "test-" + "x" * 50}
    output = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    found: dict[str, Any] = json.loads(output.stdout)
    return found


def test_behind_https_cookies_are_secure_and_hsts_is_sent(
    client: Client, settings: Settings
) -> None:
    production = https_settings()
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    for name, value in production.items():
        setattr(settings, name, value)
    User.objects.create_user("grace", "grace@example.org", PASSWORD)

    form = client.get("/accounts/login", secure=True)
    assert form.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"

    logged_in = client.post(
        "/accounts/login", {"username": "grace", "password": PASSWORD}, secure=True
    )
    assert logged_in.status_code == 302
    session = logged_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_without_https_no_hsts(client: Client) -> None:
    assert "Strict-Transport-Security" not in client.get("/", secure=True).headers

"""Every account page renders for its visitor, with its stylesheet and no inline script."""

from __future__ import annotations

import re

import pytest
from django.templatetags.static import static
from django.test import Client

from tests.accounts.factories import make_member

pytestmark = pytest.mark.django_db

ANONYMOUS = [
    "/accounts/signup",
    "/accounts/signup/sent",
    "/accounts/verify/again",
    "/accounts/login",
    "/accounts/password/reset",
    "/accounts/password/reset/sent",
    "/accounts/password/reset/complete",
    "/users/ada",
]
MEMBER = ["/accounts/settings", "/accounts/password/change", "/accounts/password/change/done"]


@pytest.mark.parametrize(
    "path", ["accounts/accounts.css", "community/community.css", "recommend/recommend.css"]
)
def test_stylesheets_are_served(client: Client, path: str) -> None:
    assert client.get(static(path)).status_code == 200


@pytest.mark.parametrize(
    ("url", "member"), [(u, False) for u in ANONYMOUS] + [(u, True) for u in MEMBER]
)
def test_pages_render_without_inline_scripts(client: Client, url: str, member: bool) -> None:
    ada = make_member("ada")
    if member:
        client.force_login(ada)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) == []
    assert not re.search(r"<[^>]+\son[a-z]+=", page)

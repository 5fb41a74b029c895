"""The stylesheet, KaTeX and the math script are served by the app itself, with no inline JS."""

from __future__ import annotations

import re

import pytest
from django.templatetags.static import static
from django.test import Client

from tests.papers.factories import add_paper

ASSETS = [
    "css/site.css",
    "js/math.js",
    "vendor/katex/katex.min.js",
    "vendor/katex/katex.min.css",
    "vendor/katex/contrib/auto-render.min.js",
    "vendor/katex/fonts/KaTeX_Main-Regular.woff2",
]


@pytest.mark.parametrize("path", ASSETS)
def test_asset_is_served(client: Client, path: str) -> None:
    response = client.get(static(path))
    assert response.status_code == 200, (
        f"{path} is not served: src/dailypapers/static must be in settings.STATICFILES_DIRS"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/trending", "/papers/2501.00001", "/authors/Ada%20Lovelace"])
def test_pages_have_no_inline_scripts(client: Client, url: str) -> None:
    # A Content-Security-Policy without 'unsafe-inline' is planned; every script has a src.
    add_paper(arxiv_id="2501.00001", authors=["Ada Lovelace"])
    page = client.get(url).content.decode()
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) == []
    assert not re.search(r"<[^>]+\son[a-z]+=", page)

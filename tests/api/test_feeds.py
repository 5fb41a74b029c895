"""RSS 2.0 and Atom feeds parse cleanly with feedparser and hold the expected papers; the
pages link them with <link rel="alternate">."""

from __future__ import annotations

import re
from typing import Any

import feedparser
import pytest
from django.test import Client

from tests.api.conftest import Feed

WEEK = ["2606.01003", "2606.01001", "2606.01004", "2606.01002"]


def parsed(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


def arxiv_ids(feed: Any) -> list[str]:
    return [entry.link.rsplit("/", 1)[-1] for entry in feed.entries]


@pytest.mark.parametrize("ext", ["rss", "atom"])
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/feeds/latest", ["2606.01003", "2606.01004", "2606.01001", "2606.01002", "2605.01006"]),
        ("/feeds/date/2026-06-12", ["2606.01003", "2606.01004"]),
        ("/feeds/week/2026-W24", WEEK),
        ("/feeds/month/2026-05", ["2605.01006"]),
        ("/feeds/categories/cs.CV", ["2606.01003"]),
        ("/feeds/week/2026-W24{ext}?cat=q-bio.BM", ["2606.01001"]),
        ("/feeds/search{ext}?q=protein+folding+graph", ["2606.01001"]),
    ],
)
def test_feeds_hold_the_listed_papers(
    client: Client, feed: Feed, searchable: None, ext: str, url: str, expected: list[str]
) -> None:
    address = url.format(ext=f".{ext}") if "{ext}" in url else f"{url}.{ext}"
    found = parsed(client, address)
    ids = arxiv_ids(found)
    if "search" in url:
        assert ids[0] == expected[0]
    else:
        assert ids == expected
    assert found.version == ("atom10" if ext == "atom" else "rss20")


def test_an_entry_carries_the_paper(client: Client, feed: Feed) -> None:
    for ext in ("rss", "atom"):
        entry = parsed(client, f"/feeds/date/2026-06-10.{ext}").entries[0]
        assert entry.title == "Graph transformers for protein folding"
        assert "graph transformers and attention" in entry.summary
        assert entry.link == "http://testserver/papers/2606.01001"
        assert "Rosalind Franklin" in entry.author
        assert {tag.term for tag in entry.tags} == {"cs.LG", "q-bio.BM"}
        assert entry.published_parsed[:5] == (2026, 6, 10, 9, 30)


def test_trending_feed_and_hidden_papers(client: Client, feed: Feed) -> None:
    for ext in ("rss", "atom"):
        ids = arxiv_ids(parsed(client, f"/feeds/trending.{ext}"))
        assert ids[0] == "2606.01003"
        assert "2606.01005" not in ids
        assert "2606.01005" not in arxiv_ids(parsed(client, f"/feeds/date/2026-06-12.{ext}"))


def test_feeds_answer_304_to_a_reader_that_has_them(client: Client, feed: Feed) -> None:
    first = client.get("/feeds/week/2026-W24.atom")
    again = client.get("/feeds/week/2026-W24.atom", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url", ["/feeds/date/2026-02-30.rss", "/feeds/week/2026-W99.atom", "/feeds/search.rss"]
)
def test_a_feed_of_nothing_is_a_404(client: Client, db: None, url: str) -> None:
    assert client.get(url).status_code == 404


def alternates(client: Client, url: str) -> list[tuple[str, str]]:
    page = client.get(url).content.decode()
    head = page.split("</head>")[0]
    return re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)"', head)


def test_pages_link_their_feeds(client: Client, feed: Feed, searchable: None) -> None:
    assert alternates(client, "/date/2026-06-12") == [
        ("application/rss+xml", "/feeds/date/2026-06-12.rss"),
        ("application/atom+xml", "/feeds/date/2026-06-12.atom"),
    ]
    assert ("application/rss+xml", "/feeds/week/2026-W24.rss?cat=cs.CV") in alternates(
        client, "/week/2026-W24?cat=cs.CV"
    )
    home = alternates(client, "/")
    assert ("application/atom+xml", "/feeds/latest.atom") in home
    assert ("application/atom+xml", "/feeds/date/2026-06-12.atom") in home
    assert ("application/rss+xml", "/feeds/trending.rss") in alternates(client, "/trending")
    assert ("application/rss+xml", "/feeds/search.rss?q=protein+folding") in alternates(
        client, "/search?q=protein+folding"
    )
    # Every linked feed exists and parses.
    for _, href in home:
        parsed(client, href)

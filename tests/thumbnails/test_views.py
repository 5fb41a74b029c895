"""Thumbnails as readers meet them: on the cards of a listing (one query for the whole page),
on the paper's page, served with far-future caching, and absent where none was made."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from dailypapers.papers.models import Paper
from dailypapers.thumbnails import services
from dailypapers.thumbnails.models import Thumbnail
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db
DAY = date(2025, 1, 3)
IMG = re.compile(r'<a class="thumb"[^>]*><img src="([^"]+)"')


def webp(colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 453), colour).save(buffer, "WEBP")
    return buffer.getvalue()


def with_thumbnail(paper: Paper, colour: str = "white") -> Thumbnail:
    return services.keep_image(paper, webp(colour), (320, 453))


@pytest.fixture(autouse=True)
def no_page_cache(settings: Any, thumbnail_dir: Path) -> None:
    settings.CACHE_ANONYMOUS_SECONDS = 0


def test_cards_show_the_first_page_of_papers_that_have_one(client: Client) -> None:
    shown = add_paper(DAY, title="With a picture")
    add_paper(DAY, title="Without one")
    thumbnail = with_thumbnail(shown)
    page = client.get("/date/2025-01-03").content.decode()
    assert IMG.findall(page) == [f"/thumbnails/{thumbnail.name}"]
    assert page.count('<article class="card') == 2


def test_a_failed_thumbnail_leaves_the_card_as_it_was(client: Client) -> None:
    paper = add_paper(DAY, title="Broken PDF")
    before = client.get("/date/2025-01-03").content
    services.record_failure(paper, "not a readable PDF (data format error)")
    assert client.get("/date/2025-01-03").content == before
    assert IMG.findall(before.decode()) == []


def test_a_listing_reads_thumbnails_in_one_query_whatever_the_count(client: Client) -> None:
    def queries_for_page(day: date, count: int) -> int:
        for _ in range(count):
            with_thumbnail(add_paper(day), colour="white")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(f"/date/{day.isoformat()}").content.decode()
        assert len(IMG.findall(page)) == count
        return sum("thumbnails_thumbnail" in query["sql"] for query in captured.captured_queries)

    assert queries_for_page(date(2025, 2, 3), 2) == queries_for_page(date(2025, 2, 4), 8) == 1


def test_the_paper_page_shows_the_first_page_linking_to_the_pdf(client: Client) -> None:
    paper = add_paper(DAY, arxiv_id="2501.04242")
    thumbnail = with_thumbnail(paper)
    page = client.get("/papers/2501.04242").content.decode()
    assert '<a class="thumb thumb-page" href="https://arxiv.org/pdf/2501.04242">' in page
    assert f'src="/thumbnails/{thumbnail.name}"' in page
    assert 'alt="First page of the PDF"' in page


def test_a_shared_link_previews_the_first_page(client: Client) -> None:
    paper = add_paper(DAY, arxiv_id="2501.00001", title="Shared widely")
    add_paper(DAY, arxiv_id="2501.00002", title="No picture")
    thumbnail = with_thumbnail(paper)
    page = client.get("/papers/2501.00001").content.decode()
    head = page[: page.index("</head>")]
    assert (
        f'<meta property="og:image" content="http://testserver/thumbnails/{thumbnail.name}">'
        '<meta property="og:image:width" content="320">'
        '<meta property="og:image:height" content="453">'
    ) in head
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    assert IMG.findall(page) == [] and f"/thumbnails/{thumbnail.name}" in page[len(head) :]
    other = client.get("/papers/2501.00002").content.decode()
    assert "og:image" not in other and '<meta name="twitter:card" content="summary">' in other


def test_the_image_is_served_with_far_future_caching(client: Client) -> None:
    thumbnail = with_thumbnail(add_paper(DAY), colour="red")
    response = client.get(f"/thumbnails/{thumbnail.name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        "max-age=31536000",
        "immutable",
    }, "proxies and CDNs may keep it too"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert Image.open(io.BytesIO(body)).getpixel((5, 5))[0] > 200  # type: ignore[index]


def test_a_new_image_gets_a_new_name(client: Client) -> None:
    paper = add_paper(DAY)
    first = with_thumbnail(paper, colour="white").name
    second = with_thumbnail(paper, colour="black").name
    assert first != second
    assert client.get(f"/thumbnails/{second}").status_code == 200


@pytest.mark.parametrize(
    "name",
    ["2501/2501.00001.0123456789ab.webp", "../secret_key", "2501/x.0123456789ab.png", "%00"],
)
def test_unknown_or_odd_names_are_not_found(client: Client, name: str) -> None:
    assert client.get(f"/thumbnails/{name}").status_code == 404


def test_github_stars_are_shown_when_a_source_gives_them(client: Client) -> None:
    code = "https://github.com/example/code"
    add_paper(DAY, arxiv_id="2501.07001", github_repo=code, github_stars=1234)
    add_paper(DAY, arxiv_id="2501.07002", github_repo=code)
    feed = client.get("/date/2025-01-03").content.decode()
    assert feed.count('1234<span class="visually-hidden"> GitHub stars</span>') == 1
    assert feed.count(f'<a href="{code}">Code</a>') == 2
    page = client.get("/papers/2501.07001").content.decode()
    assert '1234<span class="visually-hidden"> GitHub stars</span>' in page

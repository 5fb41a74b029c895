"""The API's `thumbnail`: where Hugging Face puts it, as an absolute URL that serves the image,
null while there is none, read by huggingface_hub unchanged, one query for a whole listing."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from huggingface_hub import HfApi
from huggingface_hub.utils import close_session

from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper
from tests.thumbnails.test_views import with_thumbnail

DAY = date(2026, 6, 12)


@pytest.fixture(autouse=True)
def kept_in_tmp(thumbnail_dir: Path, settings: Any) -> None:
    settings.CACHE_ANONYMOUS_SECONDS = 0


@pytest.mark.django_db
def test_listing_items_carry_the_thumbnail_url_beside_the_paper(client: Client) -> None:
    shown = add_paper(DAY, arxiv_id="2606.00001", upvotes=2)
    add_paper(DAY, arxiv_id="2606.00002", upvotes=1)
    thumbnail = with_thumbnail(shown)
    items = client.get("/api/daily_papers", {"date": "2026-06-12"}).json()
    assert [item["paper"]["id"] for item in items] == ["2606.00001", "2606.00002"]
    assert items[0]["thumbnail"] == f"http://testserver/thumbnails/{thumbnail.name}"
    assert items[1]["thumbnail"] is None
    assert "thumbnail" not in items[0]["paper"]  # Hugging Face sends it at the outer level


@pytest.mark.django_db
def test_a_new_thumbnail_is_a_change_conditional_requests_see(client: Client) -> None:
    paper = add_paper(DAY, arxiv_id="2606.00004")
    Paper.objects.filter(pk=paper.pk).update(modified_at=datetime(2026, 6, 12, tzinfo=UTC))
    before = client.get("/api/daily_papers", {"date": "2026-06-12"})
    with_thumbnail(paper)
    again = client.get(
        "/api/daily_papers",
        {"date": "2026-06-12"},
        HTTP_IF_MODIFIED_SINCE=before["Last-Modified"],
    )
    assert again.status_code == 200 and again.json()[0]["thumbnail"]


@pytest.mark.django_db
def test_a_listing_reads_its_thumbnails_in_one_query(client: Client) -> None:
    def queries(day: date, count: int) -> int:
        for _ in range(count):
            with_thumbnail(add_paper(day))
        with CaptureQueriesContext(connection) as captured:
            items = client.get("/api/daily_papers", {"date": day.isoformat()}).json()
        assert all(item["thumbnail"] for item in items) and len(items) == count
        return sum("thumbnails_thumbnail" in query["sql"] for query in captured.captured_queries)

    assert queries(date(2026, 6, 10), 2) == queries(date(2026, 6, 11), 9) == 1


@pytest.fixture
def api(transactional_db: None, live_server: Any) -> Iterator[HfApi]:
    yield HfApi(endpoint=live_server.url, token=False)
    close_session()


def test_huggingface_hub_reads_the_thumbnail_and_it_serves_the_image(
    api: HfApi, live_server: Any
) -> None:
    thumbnail = with_thumbnail(add_paper(DAY, arxiv_id="2606.00003"))
    [paper] = api.list_daily_papers(date="2026-06-12")
    assert paper.thumbnail == f"{live_server.url}/thumbnails/{thumbnail.name}"
    with urllib.request.urlopen(paper.thumbnail, timeout=10) as response:
        assert response.headers["Content-Type"] == "image/webp"
        assert response.read(4) == b"RIFF"

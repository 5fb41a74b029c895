"""The API returns `ai_summary` and `ai_keywords` where Hugging Face puts them, and
huggingface_hub, unchanged, reads them from a live local server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from huggingface_hub import HfApi
from huggingface_hub.utils import close_session
from pytest_django import Settings

from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import OnnxEmbedder
from dailypapers.summaries.models import PaperSummary
from dailypapers.summaries.tasks import summarize_papers
from tests.api.conftest import Feed, make_feed


@pytest.fixture
def summarized_feed(db: None, embedder: OnnxEmbedder) -> Feed:
    feed = make_feed()
    summarize_papers(embedder)
    return feed


def made(paper: Paper) -> PaperSummary:
    return PaperSummary.objects.get(paper=paper)


def test_listing_items_carry_them_inside_the_paper_and_beside_it(
    summarized_feed: Feed, client: Client
) -> None:
    items = client.get("/api/daily_papers?date=2026-06-10").json()
    graph = next(item for item in items if item["paper"]["id"] == "2606.01001")
    expected = made(summarized_feed.graph)
    assert graph["paper"]["ai_summary"] == expected.sentence
    assert graph["paper"]["ai_summary"].startswith("We fold proteins")
    assert graph["paper"]["ai_keywords"] == expected.keywords
    assert 3 <= len(graph["ai_keywords"]) <= 6
    assert graph["ai_summary"] == graph["paper"]["ai_summary"]
    one = client.get("/api/papers/2606.01001").json()
    assert (one["ai_summary"], one["ai_keywords"]) == (expected.sentence, expected.keywords)


def test_switched_off_or_not_made_they_are_null(
    summarized_feed: Feed, client: Client, settings: Settings
) -> None:
    PaperSummary.objects.filter(paper=summarized_feed.small).delete()
    small = client.get("/api/papers/2606.01002").json()
    assert small["ai_summary"] is None and small["ai_keywords"] is None
    settings.SUMMARIES_ENABLED = False
    for item in client.get("/api/daily_papers?date=2026-06-10").json():
        assert item["ai_summary"] is None and item["paper"]["ai_keywords"] is None


@pytest.fixture
def hf(transactional_db: None, live_server: Any, embedder: OnnxEmbedder) -> Iterator[HfApi]:
    make_feed()
    summarize_papers(embedder)
    yield HfApi(endpoint=live_server.url, token=False)
    close_session()  # kept-alive connections hold a server thread's database connection


def test_huggingface_hub_reads_them_from_a_live_server(hf: HfApi) -> None:
    graph = next(p for p in hf.list_daily_papers(date="2026-06-10") if p.id == "2606.01001")
    stored = PaperSummary.objects.get(paper__arxiv_id="2606.01001")
    assert graph.ai_summary == stored.sentence
    assert graph.ai_summary.startswith("We fold proteins")
    assert graph.ai_keywords == stored.keywords and len(graph.ai_keywords) >= 3
    info = hf.paper_info("2606.01001")
    assert (info.ai_summary, info.ai_keywords) == (stored.sentence, stored.keywords)


def test_a_listing_reads_its_summaries_in_one_query(summarized_feed: Feed, client: Client) -> None:
    with CaptureQueriesContext(connection) as captured:
        items = client.get("/api/daily_papers?week=2026-W24").json()
    assert len(items) >= 4 and all(item["ai_summary"] for item in items)
    reads = [q["sql"] for q in captured.captured_queries if "summaries_papersummary" in q["sql"]]
    assert len(reads) == 1

"""The read endpoints through Django's test client: Hugging Face's shapes, the listings'
orders and pages, hidden papers left out, parameters checked, JSON errors, CORS,
ETag/Last-Modified with 304, and the read limit's 429."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from dailypapers.community.votes import set_vote
from tests.accounts.factories import make_member
from tests.api.conftest import Feed


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["paper"]["id"] for item in response.json()]


def test_items_have_the_shape_of_a_recorded_hugging_face_answer(
    client: Client, feed: Feed, data_dir: Path
) -> None:
    recorded = json.loads((data_dir / "daily_papers_2026-06-12.json").read_text())[1]
    item = client.get("/api/daily_papers", {"date": "2026-06-12"}).json()[1]
    assert item["paper"]["id"] == feed.quiet.arxiv_id  # the one with a submitter
    # Every key Hugging Face always sends (thumbnails and AI summaries are theirs alone).
    hf_only = {"thumbnail", "organization", "mediaUrls"}
    assert set(recorded) - hf_only <= set(item)
    assert set(recorded["paper"]) - {
        "ai_summary_model",
        "githubRepoAddedBy",
        "organization",
        "mediaUrls",
    } <= set(item["paper"])
    assert set(recorded["submittedBy"]) & set(item["submittedBy"]) >= {
        "avatarUrl",
        "fullname",
        "name",
        "type",
        "isPro",
    }


def test_a_paper_carries_every_field_the_client_reads(client: Client, feed: Feed) -> None:
    paper = client.get("/api/papers/2606.01001").json()
    assert paper == {
        "id": "2606.01001",
        "authors": [
            {"_id": "2606.01001/0", "name": "Rosalind Franklin", "hidden": False},
            {"_id": "2606.01001/1", "name": "Linus Pauling", "hidden": False},
        ],
        "publishedAt": "2026-06-08T20:00:00.000Z",
        "submittedOnDailyAt": "2026-06-10T09:30:00.000Z",
        "title": "Graph transformers for protein folding",
        "submittedOnDailyBy": {
            "_id": "akhaliq",
            "avatarUrl": "",
            "fullname": "akhaliq",
            "name": "akhaliq",
            "user": "akhaliq",
            "type": "user",
            "isPro": False,
        },
        "summary": "We fold proteins with graph transformers and attention over residues.",
        "upvotes": 5,
        "discussionId": str(feed.graph.pk),
        "numComments": 0,
        "githubRepo": "https://github.com/example/graphfold",
        "githubStars": 42,
        "projectPage": "https://example.org/graphfold",
        "categories": ["cs.LG", "q-bio.BM"],
        "ai_summary": None,  # not summarized yet (tests/summaries)
        "ai_keywords": None,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"date": "2026-06-12"}, ["2606.01003", "2606.01004"]),
        ({"week": "2026-W24"}, ["2606.01003", "2606.01001", "2606.01004", "2606.01002"]),
        ({"month": "2026-05"}, ["2605.01006"]),
        ({}, ["2606.01003", "2606.01004", "2606.01001", "2606.01002", "2605.01006"]),
        (
            {"month": "2026-06", "sort": "publishedAt"},
            ["2606.01004", "2606.01003", "2606.01002", "2606.01001"],
        ),
        ({"week": "2026-W24", "submitter": "akhaliq"}, ["2606.01001", "2606.01004"]),
        ({"week": "2026-W24", "cat": "cs.CV"}, ["2606.01003"]),
        ({"week": "2026-W24", "limit": "2"}, ["2606.01003", "2606.01001"]),
        ({"week": "2026-W24", "limit": "2", "p": "1"}, ["2606.01004", "2606.01002"]),
        ({"week": "2026-W24", "limit": "2", "p": "2"}, []),
        ({"date": "2026-06-11"}, []),
    ],
)
def test_daily_papers_lists_the_feed_in_order(
    client: Client, feed: Feed, query: dict[str, str], expected: list[str]
) -> None:
    assert ids(client.get("/api/daily_papers", query)) == expected


def test_trending_ranks_by_the_sites_trending_score(client: Client, feed: Feed) -> None:
    # The window ends with the latest day, 12 June: 10 upvotes that day beat 5 two days before.
    listed = ids(client.get("/api/daily_papers", {"sort": "trending"}))
    assert listed[0] == "2606.01003"
    assert set(listed) == {"2606.01001", "2606.01002", "2606.01003", "2606.01004"}


def test_hidden_papers_never_appear(client: Client, feed: Feed, searchable: None) -> None:
    for query in ({}, {"date": "2026-06-12"}, {"sort": "trending"}, {"sort": "publishedAt"}):
        assert "2606.01005" not in ids(client.get("/api/daily_papers", query))
    assert "2606.01005" not in ids(client.get("/api/papers/search", {"q": "diffusion models"}))
    assert client.get("/api/papers/2606.01005").status_code == 404
    assert client.get("/papers/2606.01005.md").status_code == 404


def test_search_answers_through_hybrid_search(client: Client, feed: Feed, searchable: None) -> None:
    listed = ids(client.get("/api/papers/search", {"q": "protein folding graph"}))
    assert listed[0] == "2606.01001"
    assert len(ids(client.get("/api/papers/search", {"q": "models", "limit": "1"}))) == 1


def test_a_paper_by_versioned_id_and_as_markdown(client: Client, feed: Feed) -> None:
    assert client.get("/api/papers/2606.01001v3").json()["id"] == "2606.01001"
    response = client.get("/papers/2606.01001.md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Graph transformers for protein folding\n")
    assert "**Authors:** Rosalind Franklin, Linus Pauling" in text
    assert "We fold proteins with graph transformers" in text
    assert "https://github.com/example/graphfold" in text


@pytest.mark.parametrize(
    ("url", "query", "message"),
    [
        ("/api/daily_papers", {"date": "2026-02-30"}, "date must be a real day"),
        ("/api/daily_papers", {"date": "12/06/2026"}, "date must be a real day"),
        ("/api/daily_papers", {"week": "2026-W60"}, "week must be a real week"),
        ("/api/daily_papers", {"week": "2026-24"}, "week must be a real week"),
        ("/api/daily_papers", {"month": "2026-13"}, "month must be a real month"),
        ("/api/daily_papers", {"date": "2026-06-12", "week": "2026-W24"}, "at most one"),
        ("/api/daily_papers", {"limit": "0"}, "limit must be a whole number from 1 to 100"),
        ("/api/daily_papers", {"limit": "101"}, "limit must be a whole number from 1 to 100"),
        ("/api/daily_papers", {"limit": "ten"}, "limit must be a whole number"),
        ("/api/daily_papers", {"p": "-1"}, "p must be a whole number"),
        ("/api/daily_papers", {"sort": "upvotes"}, "sort must be publishedAt or trending"),
        ("/api/daily_papers", {"submitter": "a b"}, "submitter must be a username"),
        ("/api/daily_papers", {"cat": "cs.CL", "p": "101", "limit": "100"}, "past the first"),
        ("/api/daily_papers", {"sort": "publishedAt", "p": "5000"}, "narrow it with date"),
        ("/api/papers/search", {}, "q is required"),
        ("/api/papers/search", {"q": "x", "limit": "500"}, "limit must be"),
    ],
)
def test_bad_parameters_are_a_json_400(
    client: Client, db: None, url: str, query: dict[str, str], message: str
) -> None:
    response = client.get(url, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]


def test_unknown_papers_and_paths_are_a_json_404(client: Client, db: None) -> None:
    for url in ("/api/papers/2501.99999", "/api/nothing/here", "/papers/2501.99999.md"):
        response = client.get(url)
        assert response.status_code == 404
        assert "error" in response.json()


def test_a_wrong_method_is_a_json_405(client: Client, db: None) -> None:
    response = client.post("/api/daily_papers")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json() == {"error": "Use GET, HEAD, OPTIONS here."}
    assert client.get("/api/papers/submit").status_code == 405


def test_reads_are_open_to_other_sites(client: Client, feed: Feed) -> None:
    response = client.get("/api/daily_papers", headers={"Origin": "https://elsewhere.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/papers/2606.01001",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert preflight["Access-Control-Allow-Headers"] == "if-none-match"
    assert client.get("/api/nothing")["Access-Control-Allow-Origin"] == "*"


def test_writes_are_not_open_to_other_sites(client: Client, feed: Feed) -> None:
    response = client.post("/api/papers/2606.01001/upvote")
    assert response.status_code == 401
    assert "Access-Control-Allow-Origin" not in response


def test_listings_answer_304_until_they_change(
    client: Client, feed: Feed, settings: Settings
) -> None:
    # The API's own validators; a vote reaches listings kept by the page cache only within
    # CACHE_ANONYMOUS_SECONDS (tests/caching).
    settings.CACHE_ANONYMOUS_SECONDS = 0
    first = client.get("/api/daily_papers", {"date": "2026-06-12"})
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get("/api/daily_papers", {"date": "2026-06-12"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    since = client.get(
        "/api/daily_papers", {"date": "2026-06-12"}, headers={"If-Modified-Since": modified}
    )
    assert since.status_code == 304

    set_vote(make_member("ada"), feed.quiet.id, True)
    changed = client.get(
        "/api/daily_papers", {"date": "2026-06-12"}, headers={"If-None-Match": etag}
    )
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()[1]["paper"]["upvotes"] == 4


def test_too_many_reads_are_a_429_with_retry_after(
    client: Client, feed: Feed, settings: Settings
) -> None:
    settings.API_READS_PER_MINUTE = 3
    settings.CACHE_ANONYMOUS_SECONDS = 0  # reads the page cache answers are not counted
    answers = [client.get("/api/papers/2606.01001") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"].startswith("Too many requests; try again in")
    assert refused["Access-Control-Allow-Origin"] == "*"


def test_the_docs_page_lists_every_operation(client: Client, db: None) -> None:
    page = client.get("/api/docs").content.decode()
    document = client.get("/api/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    for path in document["paths"]:
        assert path in page
    assert "<script>" not in page


def test_the_sites_own_hugging_face_reader_reads_the_listing_back(
    client: Client, feed: Feed
) -> None:
    """ingest/sources/hf_daily.py, written against Hugging Face's real answers, reads ours."""
    from dailypapers.ingest.sources.hf_daily import parse_daily_papers

    body = client.get("/api/daily_papers", {"date": "2026-06-10"}).content
    graph, small = parse_daily_papers(body)
    assert not isinstance(graph, Exception) and not isinstance(small, Exception)
    assert (graph.arxiv_id, graph.title) == ("2606.01001", "Graph transformers for protein folding")
    assert graph.authors == ["Rosalind Franklin", "Linus Pauling"]
    assert (graph.source_upvotes, graph.github_stars) == (5, 42)
    assert graph.project_page == "https://example.org/graphfold"
    assert graph.feed_submitter == "akhaliq"
    assert str(graph.feed_day) == "2026-06-10"
    assert small.arxiv_id == "2606.01002"


def test_head_answers_like_get_without_a_body(client: Client, feed: Feed) -> None:
    got = client.get("/api/papers/2606.01001")
    head = client.head("/api/papers/2606.01001")
    assert head.status_code == 200
    assert head["ETag"] == got["ETag"]
    assert head.content == b""

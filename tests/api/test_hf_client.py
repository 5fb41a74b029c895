"""huggingface_hub, unchanged, against a live local server: HfApi(endpoint=...) and the
`hf papers` command line read this site's daily papers, papers, search and Markdown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import close_session

from tests.api.conftest import make_feed

HF = Path(sys.executable).parent / "hf"


@pytest.fixture
def api(transactional_db: None, live_server: Any, searchable_feed: None) -> Iterator[HfApi]:
    yield HfApi(endpoint=live_server.url, token=False)
    # Kept-alive connections keep a server thread, and its database connection, open.
    close_session()


@pytest.fixture
def searchable_feed(transactional_db: None, request: pytest.FixtureRequest) -> None:
    make_feed()
    request.getfixturevalue("searchable")


def listed(papers: Any) -> list[str]:
    return [paper.id for paper in papers]


def test_list_daily_papers_by_date_week_month_sort_and_page(api: HfApi) -> None:
    assert listed(api.list_daily_papers(date="2026-06-12")) == ["2606.01003", "2606.01004"]
    week = ["2606.01003", "2606.01001", "2606.01004", "2606.01002"]
    assert listed(api.list_daily_papers(week="2026-W24")) == week
    assert listed(api.list_daily_papers(month="2026-05")) == ["2605.01006"]
    assert listed(api.list_daily_papers(month="2026-06", sort="publishedAt")) == [
        "2606.01004",
        "2606.01003",
        "2606.01002",
        "2606.01001",
    ]
    assert listed(api.list_daily_papers(sort="trending"))[0] == "2606.01003"
    assert listed(api.list_daily_papers(week="2026-W24", limit=2, p=1)) == week[2:]
    assert listed(api.list_daily_papers(week="2026-W24", submitter="akhaliq")) == [
        "2606.01001",
        "2606.01004",
    ]


def test_listed_papers_have_their_fields_filled(api: HfApi) -> None:
    graph = next(p for p in api.list_daily_papers(week="2026-W24") if p.id == "2606.01001")
    assert graph.title == "Graph transformers for protein folding"
    assert graph.summary.startswith("We fold proteins")
    assert [author.name for author in graph.authors] == ["Rosalind Franklin", "Linus Pauling"]
    assert graph.published_at == datetime(2026, 6, 8, 20, tzinfo=UTC)
    assert graph.upvotes == 5
    assert graph.comments == 0
    assert graph.submitted_by.username == "akhaliq"
    assert graph.github_repo == "https://github.com/example/graphfold"
    assert graph.github_stars == 42
    assert graph.project_page == "https://example.org/graphfold"


def test_paper_info(api: HfApi) -> None:
    info = api.paper_info("2606.01001")
    assert info.id == "2606.01001"
    assert info.title == "Graph transformers for protein folding"
    assert info.published_at == datetime(2026, 6, 8, 20, tzinfo=UTC)
    assert info.submitted_at == datetime(2026, 6, 10, 9, 30, tzinfo=UTC)
    assert info.submitted_by.username == "akhaliq"
    assert info.upvotes == 5
    assert info.github_stars == 42
    assert info.discussion_id
    with pytest.raises(HfHubHTTPError) as missing:
        api.paper_info("2606.01005")  # hidden
    assert missing.value.response.status_code == 404


def test_list_papers_searches(api: HfApi) -> None:
    found = list(api.list_papers(query="protein folding graph", limit=3))
    assert found[0].id == "2606.01001"
    assert found[0].title == "Graph transformers for protein folding"
    assert len(found) <= 3


def test_read_paper(api: HfApi) -> None:
    text = api.read_paper("2606.01003")
    assert text.startswith("# Diffusion models for image synthesis at scale\n")
    assert "We train diffusion models" in text


def hf(live_server: Any, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`hf papers ...` as a user runs it, pointed at the live server, with no token."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HF_", "HUGGING_FACE_")) and key != "TRANSFORMERS_OFFLINE"
    }
    env.update(
        HF_ENDPOINT=live_server.url,
        HF_HOME=str(tmp_path / "hf-home"),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_UPDATE_CHECK="1",
    )
    return subprocess.run(
        [str(HF), "papers", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_hf_papers_command_line(api: HfApi, live_server: Any, tmp_path: Path) -> None:
    ls = hf(live_server, tmp_path, "ls", "--week", "2026-W24", "--limit", "3", "--format", "json")
    assert ls.returncode == 0, ls.stderr
    rows = json.loads(ls.stdout)
    assert [row["id"] for row in rows] == ["2606.01003", "2606.01001", "2606.01004"]
    assert rows[1]["upvotes"] == 5
    assert rows[1]["submitted_by_name"] == "akhaliq"

    search = hf(live_server, tmp_path, "search", "protein folding", "--format", "json")
    assert search.returncode == 0, search.stderr
    assert json.loads(search.stdout)[0]["title"] == "Graph transformers for protein folding"

    info = hf(live_server, tmp_path, "info", "2606.01001", "--format", "json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["github_repo"] == "https://github.com/example/graphfold"

    read = hf(live_server, tmp_path, "read", "2606.01003", "--format", "human")
    assert read.returncode == 0, read.stderr
    assert "# Diffusion models for image synthesis at scale" in read.stdout

    missing = hf(live_server, tmp_path, "info", "2501.99999", "--format", "json")
    assert missing.returncode != 0
    assert "not found" in missing.stderr + missing.stdout

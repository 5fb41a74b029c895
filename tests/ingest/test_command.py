"""`dailypapers ingest`: each source end to end against loopback, one summary line, clean errors."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django import Settings

from dailypapers.ingest.models import HarvestState
from dailypapers.papers.models import DailyEntry, Paper
from tests.loopback import Loopback

pytestmark = pytest.mark.django_db


def ingest(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, "--no-progress", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def remote(loopback: Loopback, settings: Settings, data_dir: Path) -> Loopback:
    """Every source URL pointed at loopback, serving the recorded payloads, with no pauses."""
    settings.INGEST_REQUEST_INTERVAL = 0
    settings.ARXIV_API_URL = loopback.url("/api/query")
    settings.ARXIV_RSS_URL = loopback.url("/atom")
    settings.ARXIV_OAI_URL = loopback.url("/oai")
    settings.HF_API_URL = loopback.url()
    loopback.route("/api/query", data_dir / "query_cat-cs.RO_neural_classic-format_2025-10-17.xml")
    loopback.route("/atom/cs.AI", data_dir / "rss_atom_cs.AI_2025-08-20.xml")
    loopback.route("/oai", data_dir / "oai_pmh_cs_page2.xml", resumptionToken="6960524|3")
    loopback.route("/oai", data_dir / "oai_pmh_cs_page1.xml", set="cs")
    loopback.route("/api/daily_papers", data_dir / "daily_papers_2026-06-12.json")
    return loopback


@pytest.mark.parametrize(
    ("args", "count"),
    [
        (["arxiv-api", "--query", "cat:cs.RO AND (neural)", "--max", "2"], 2),
        (["arxiv-rss", "cs.AI"], 7),
        (["oai-pmh", "--set", "cs", "--from", "2024-01-01"], 4),
        (["hf-daily", "--date", "2026-06-12"], 30),
    ],
)
def test_each_source_twice(remote: Loopback, args: list[str], count: int) -> None:
    assert ingest(*args) == f"fetched {count}, new {count}, updated 0, skipped 0"
    assert ingest(*args) == f"fetched {count}, new 0, updated 0, skipped {count}"
    assert Paper.objects.count() == count


def test_oai_harvest_without_from_continues_from_the_saved_day(remote: Loopback) -> None:
    ingest("oai-pmh", "--set", "cs", "--from", "2024-01-01")
    assert HarvestState.objects.get(key="oai-pmh:cs").last_datestamp == date(2024, 5, 19)
    ingest("oai-pmh", "--set", "cs")
    assert remote.requests[-2].params["from"] == "2024-05-19"


def test_hf_submission_moves_the_rss_listing(remote: Loopback, data_dir: Path) -> None:
    ingest("arxiv-rss", "cs.AI")
    listing = json.loads((data_dir / "daily_papers_2026-06-12.json").read_text())
    listing[0]["paper"]["id"] = "2508.13426"  # as if this cs.AI paper were submitted on HF
    remote.routes.clear()
    remote.route("/api/daily_papers", json.dumps(listing))
    assert ingest("hf-daily", "--date", "2026-06-12") == "fetched 30, new 29, updated 1, skipped 0"
    entry = DailyEntry.objects.get(paper__arxiv_id="2508.13426")
    assert (entry.day, entry.source, entry.submitter_name) == (
        date(2026, 6, 12),
        "hf-daily",
        "RKocielnik",
    )


@pytest.mark.parametrize(
    ("name", "summary", "feed_source"),
    [
        ("query_cat-cs.RO_neural_classic-format_2025-10-17.xml", "fetched 2, new 2", None),
        ("query_id-list_missing-ids_classic-format_2025-08-24.xml", "fetched 4, new 1", None),
        ("rss_atom_cs.AI_2025-08-20.xml", "fetched 7, new 7", "file"),
        ("oai_pmh_cs_page1.xml", "fetched 2, new 2", "file"),
        ("daily_papers_2026-06-12.json", "fetched 30, new 30", "hf-daily"),
    ],
)
def test_ingest_file_for_each_format(
    data_dir: Path, tmp_path: Path, name: str, summary: str, feed_source: str | None
) -> None:
    copy = tmp_path / "payload"  # no extension: the content decides
    copy.write_bytes((data_dir / name).read_bytes())
    assert ingest("file", str(copy)).startswith(summary + ",")
    assert set(DailyEntry.objects.values_list("source", flat=True)) == (
        {feed_source} if feed_source else set()
    )


def test_ingest_file_jsonl_gz(tmp_path: Path) -> None:
    record = {
        "id": "2401.02015",
        "title": "Improving Diffusion-Based Image Synthesis",
        "published": "2024-01-04",
    }
    path = tmp_path / "papers.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps(record) + "\n{broken\n").encode()))
    assert ingest("file", str(path)) == "fetched 2, new 1, updated 0, skipped 1 (1 malformed)"


def test_missing_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        ingest("file", str(tmp_path / "nowhere.jsonl"))


def test_unknown_format_is_a_command_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("some notes, not papers\n")
    with pytest.raises(CommandError, match="cannot tell the format of .*notes.txt: it is neither"):
        ingest("file", str(path))


def test_unreachable_source_is_a_command_error(remote: Loopback, settings: Settings) -> None:
    settings.HF_API_URL = remote.url("/moved")
    with pytest.raises(CommandError, match="HTTP 404"):
        ingest("hf-daily")


def test_errors_reach_the_operator_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("some notes, not papers\n")
    result = subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", "ingest", "file", str(path), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "cannot tell the format of" in result.stderr
    assert "Traceback" not in result.stderr

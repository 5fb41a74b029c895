"""`dailypapers backfill` (issue 11): history from the arXiv snapshot (its real first 150 lines)
or OAI-PMH from a date (recorded pages on loopback), interrupted and run again: it continues
where it stopped, nothing is imported twice, nothing is lost."""

from __future__ import annotations

import gzip
import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django import Settings

from dailypapers.ingest.models import HarvestState
from dailypapers.operations import backfill as backfills
from dailypapers.operations.backfill import oai_key, resume_backfill, snapshot_key
from dailypapers.operations.consumer import drain
from dailypapers.operations.models import Backfill
from dailypapers.papers.models import Paper
from tests.loopback import Loopback

pytestmark = pytest.mark.django_db
SNAPSHOT = "arxiv-metadata-oai-snapshot_first150.jsonl"
TOKEN = "6960524|3"


@pytest.fixture
def snapshot(data_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "arxiv-metadata-oai-snapshot.json.gz"
    with gzip.open(path, "wb") as out:
        out.write((data_dir / SNAPSHOT).read_bytes())
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("backfill", *args, stdout=out)
    return out.getvalue()


def test_an_interrupted_snapshot_backfill_continues_where_it_stopped(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backfills, "CHECKPOINT_LINES", 40)
    calls: list[int] = []

    def interrupt_after_two_batches(done: int, total: int | None) -> None:
        calls.append(done)
        if len(calls) == 3:  # the first call reports the start, then one per batch
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        resume_backfill(snapshot_key(snapshot), on_progress=interrupt_after_two_batches)
    saved = Backfill.objects.get()
    assert (saved.state, saved.position) == ("stopped", "80")
    assert Paper.objects.count() == 80  # the two committed batches, nothing half-written

    out = StringIO()
    call_command("status", stdout=out)
    assert f"backfill {snapshot_key(snapshot)}: stopped, " in out.getvalue()
    report = resume_backfill(snapshot_key(snapshot))
    assert report.summary.fetched == 70  # only the lines after the saved position
    assert Paper.objects.count() == 150
    saved.refresh_from_db()
    assert (saved.state, saved.position, saved.done_count) == ("done", "150", saved.total)


def test_the_command_shows_a_summary_and_refuses_a_missing_file(snapshot: Path) -> None:
    said = run("snapshot", str(snapshot), "--no-progress")
    assert "fetched 150, new 150" in said
    assert Paper.objects.count() == 150
    with pytest.raises(CommandError, match="is not a file"):
        run("snapshot", str(snapshot.with_name("missing.json")), "--no-progress")


def test_a_background_backfill_runs_on_the_backfill_queue(snapshot: Path) -> None:
    said = run("snapshot", str(snapshot), "--background")
    assert "queued snapshot:" in said
    assert not Paper.objects.exists()
    assert drain(["digest", "ingest"]) == 0  # other queues do not carry it
    assert drain(["backfill"]) == 1
    assert Paper.objects.count() == 150
    assert Backfill.objects.get().state == "done"


def test_a_finished_backfill_run_again_starts_over_without_duplicates(
    snapshot: Path, tmp_path: Path
) -> None:
    run("snapshot", str(snapshot), "--no-progress")
    again = run("snapshot", str(snapshot), "--no-progress")
    assert "new 0" in again
    assert Paper.objects.count() == 150
    plain = tmp_path / "plain.json"
    with gzip.open(snapshot) as source, plain.open("wb") as out:
        shutil.copyfileobj(source, out)
    assert "new 0" in run("snapshot", str(plain), "--no-progress")  # plain files too


@pytest.fixture
def oai(loopback: Loopback, settings: Settings, data_dir: Path) -> Loopback:
    settings.ARXIV_OAI_URL = loopback.url("/oai")
    settings.INGEST_REQUEST_INTERVAL = 0
    settings.INGEST_MAX_RETRIES = 0
    loopback.route(
        "/oai", data_dir / "oai_pmh_cs_page1.xml", set="cs", query={"from": "2020-01-01"}
    )
    loopback.route("/oai", b"", status=503, resumptionToken=TOKEN)  # down at first
    return loopback


def test_an_oai_backfill_resumes_from_its_token_under_its_own_state(
    oai: Loopback, data_dir: Path
) -> None:
    with pytest.raises(CommandError):
        run("oai-pmh", "--set", "cs", "--from", "2020-01-01", "--no-progress")
    assert Paper.objects.count() == 2  # the first page, committed
    oai.routes.pop()
    oai.route("/oai", data_dir / "oai_pmh_cs_page2.xml", resumptionToken=TOKEN)
    said = run("oai-pmh", "--set", "cs", "--from", "2020-01-01", "--no-progress")
    assert "fetched 2" in said  # the second page only
    assert oai.requests[-1].params == {"verb": "ListRecords", "resumptionToken": TOKEN}
    assert Paper.objects.count() == 4
    assert Backfill.objects.get(key=oai_key("cs", date(2020, 1, 1))).state == "done"
    # The daily harvest's own position is untouched by the backfill.
    assert not HarvestState.objects.filter(key="oai-pmh:cs").exists()


def test_a_bad_date_is_one_clear_error() -> None:
    with pytest.raises(CommandError, match="not a date"):
        run("oai-pmh", "--set", "cs", "--from", "last year")

"""OAI-PMH harvests: arXiv metadata records, resumption tokens, and the remembered harvest state.

The two pages in tests/data are constructed (OAI-PMH 2.0 and arXiv's documented arXiv format)
around real records from the metadata sample; see docs/ingest.md.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pytest_django import Settings

from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.ingest.models import HarvestState
from dailypapers.ingest.parsed import Checkpoint, ParsedPaper
from dailypapers.ingest.sources.oai_pmh import OaiError, OaiPmhSource, parse_oai_page
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import DailyEntry, Paper
from tests.loopback import Loopback

TOKEN = "6960524|3"


def oai_error(code: str, day: str = "2024-06-02") -> bytes:
    """An error response as the OAI-PMH 2.0 specification (section 3.6) shapes it."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>{day}T09:00:00Z</responseDate>
<request verb="ListRecords">https://oaipmh.arxiv.org/oai</request>
<error code="{code}">{code} explained</error>
</OAI-PMH>""".encode()


def fetcher(max_retries: int = 3) -> PoliteFetcher:
    return PoliteFetcher(interval=0, backoff=0.01, max_retries=max_retries, sleep=lambda s: None)


def papers(items: list[object]) -> list[ParsedPaper]:
    """The papers among a harvest's items (it also yields checkpoints)."""
    found = [item for item in items if not isinstance(item, Checkpoint)]
    assert all(isinstance(item, ParsedPaper) for item in found)
    return found  # type: ignore[return-value]


def harvest(source: OaiPmhSource) -> str:
    """Run a harvest through the real store, which is what saves the harvest state."""
    return upsert_papers(source.fetch(), source.name).line()


@pytest.fixture
def oai(loopback: Loopback, settings: Settings, data_dir: Path) -> Loopback:
    settings.ARXIV_OAI_URL = loopback.url("/oai")
    loopback.route("/oai", data_dir / "oai_pmh_cs_page2.xml", resumptionToken=TOKEN)
    return loopback


def test_first_page_records(data_dir: Path) -> None:
    page = parse_oai_page((data_dir / "oai_pmh_cs_page1.xml").read_bytes())
    assert page.token == TOKEN
    assert page.latest == date(2024, 3, 1)  # the deleted record's datestamp counts too
    assert page.response_day == date(2024, 6, 1)
    revised, first_version = papers(page.items)  # the deleted record is skipped
    assert revised.arxiv_id == "2401.00685"
    assert revised.title.startswith("Communication-Efficient Federated Learning for LEO")
    assert revised.authors == ["Mohamed Elmahallawy", "Tie Luo", "Khaled Ramadan"]
    assert revised.categories == ["cs.LG", "cs.AI", "cs.DC"]
    assert revised.published == datetime(2024, 1, 1, tzinfo=UTC)
    assert revised.updated == datetime(2024, 2, 16, tzinfo=UTC)
    assert revised.feed_day is None  # a revision updates the paper, it is not news
    assert first_version.arxiv_id == "2401.02015"
    assert first_version.comment == "Accepted by NeurIPS 2023"
    assert first_version.abstract.startswith("Diffusion models are a new class")
    # Submitted on Thursday 2024-01-04, listed on Friday.
    assert first_version.feed_day == date(2024, 1, 5)


def test_last_page_has_an_empty_token(data_dir: Path) -> None:
    page = parse_oai_page((data_dir / "oai_pmh_cs_page2.xml").read_bytes())
    assert page.token == ""
    assert [p.arxiv_id for p in papers(page.items)] == ["2401.03093", "2401.04081"]
    assert papers(page.items)[0].authors == ["V. L. Kalmykov", "L. V. Kalmykov"]
    assert papers(page.items)[1].authors[0] == "Maciej Pióro"


def test_no_records_is_an_empty_page_and_other_errors_raise() -> None:
    page = parse_oai_page(oai_error("noRecordsMatch"))
    assert (page.items, page.token, page.response_day) == ([], "", date(2024, 6, 2))
    with pytest.raises(OaiError, match="badArgument") as raised:
        parse_oai_page(oai_error("badArgument"))
    assert raised.value.code == "badArgument"
    with pytest.raises(FetchError, match="not an OAI-PMH response"):
        parse_oai_page(b"<feed/>")


@pytest.mark.django_db
def test_harvest_follows_the_token_and_remembers_the_day(oai: Loopback, data_dir: Path) -> None:
    oai.route("/oai", data_dir / "oai_pmh_cs_page1.xml", set="cs")
    assert harvest(OaiPmhSource("cs", from_day=date(2024, 1, 1), fetcher=fetcher())) == (
        "fetched 4, new 4, updated 0, skipped 0"
    )
    assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == [
        "2401.00685",
        "2401.02015",
        "2401.03093",
        "2401.04081",
    ]
    assert [r.params for r in oai.requests] == [
        {"verb": "ListRecords", "metadataPrefix": "arXiv", "set": "cs", "from": "2024-01-01"},
        {"verb": "ListRecords", "resumptionToken": TOKEN},
    ]
    state = HarvestState.objects.get(key="oai-pmh:cs")
    assert (state.last_datestamp, state.resumption_token) == (date(2024, 5, 19), "")


@pytest.mark.django_db
def test_a_first_harvest_starts_a_few_days_back_never_at_the_sets_beginning(
    oai: Loopback, settings: Settings
) -> None:
    """The worker's daily job on a new instance: no saved state, no --from."""
    settings.OAI_FIRST_HARVEST_DAYS = 3
    start = (date.today() - timedelta(days=3)).isoformat()
    oai.route("/oai", oai_error("noRecordsMatch", date.today().isoformat()), query={"from": start})
    assert harvest(OaiPmhSource("cs", fetcher=fetcher())).startswith("fetched 0,")
    assert [r.params.get("from") for r in oai.requests] == [start]


@pytest.mark.django_db
def test_next_harvest_starts_where_the_last_stopped(oai: Loopback) -> None:
    HarvestState.objects.create(key="oai-pmh:cs", last_datestamp=date(2024, 5, 19))
    oai.route("/oai", oai_error("noRecordsMatch", "2024-06-02"), query={"from": "2024-05-19"})
    assert harvest(OaiPmhSource("cs", fetcher=fetcher())).startswith("fetched 0,")
    assert oai.requests[0].params["from"] == "2024-05-19"
    # Nothing changed up to the response date, so the next harvest may start there.
    assert HarvestState.objects.get(key="oai-pmh:cs").last_datestamp == date(2024, 6, 2)


@pytest.mark.django_db
def test_interrupted_harvest_resumes_from_its_token(oai: Loopback, data_dir: Path) -> None:
    oai.routes.clear()  # the second page is down at first
    oai.route("/oai", data_dir / "oai_pmh_cs_page1.xml", set="cs")
    oai.route("/oai", b"", status=503, resumptionToken=TOKEN)
    source = OaiPmhSource("cs", from_day=date(2024, 1, 1), fetcher=fetcher(max_retries=1))
    with pytest.raises(FetchError, match="HTTP 503"):
        harvest(source)
    # The token was saved only after the first page's papers were committed.
    assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == [
        "2401.00685",
        "2401.02015",
    ]
    state = HarvestState.objects.get(key="oai-pmh:cs")
    assert (state.last_datestamp, state.resumption_token) == (None, TOKEN)

    oai.routes.clear()
    oai.route("/oai", data_dir / "oai_pmh_cs_page2.xml", resumptionToken=TOKEN)
    assert harvest(OaiPmhSource("cs", fetcher=fetcher())).startswith("fetched 2, new 2,")
    assert oai.requests[-1].params == {"verb": "ListRecords", "resumptionToken": TOKEN}
    state.refresh_from_db()
    assert (state.last_datestamp, state.resumption_token) == (date(2024, 5, 19), "")


@pytest.mark.django_db
def test_state_is_saved_only_when_its_checkpoint_is_reached(oai: Loopback, data_dir: Path) -> None:
    oai.route("/oai", data_dir / "oai_pmh_cs_page1.xml", set="cs")
    items = list(OaiPmhSource("cs", from_day=date(2024, 1, 1), fetcher=fetcher()).fetch())
    assert [type(item).__name__ for item in items] == ["ParsedPaper"] * 2 + ["Checkpoint"] + [
        "ParsedPaper"
    ] * 2 + ["Checkpoint"]
    state = HarvestState.objects.get(key="oai-pmh:cs")
    assert (state.last_datestamp, state.resumption_token) == (None, "")


@pytest.mark.django_db
@pytest.mark.django_db
def test_an_expired_token_falls_back_to_the_last_day(oai: Loopback, data_dir: Path) -> None:
    HarvestState.objects.create(
        key="oai-pmh:cs", last_datestamp=date(2024, 5, 1), resumption_token="stale|1000"
    )
    oai.route("/oai", oai_error("badResumptionToken"), resumptionToken="stale|1000")
    oai.route("/oai", data_dir / "oai_pmh_cs_page2.xml", query={"from": "2024-05-01"})
    assert harvest(OaiPmhSource("cs", fetcher=fetcher())).startswith("fetched 2, new 2,")
    assert [r.params.get("resumptionToken", r.params.get("from")) for r in oai.requests] == [
        "stale|1000",
        "2024-05-01",
    ]
    assert HarvestState.objects.get(key="oai-pmh:cs").resumption_token == ""


@pytest.mark.django_db
def test_stored_once_with_first_versions_in_the_feed(oai: Loopback, data_dir: Path) -> None:
    oai.route("/oai", data_dir / "oai_pmh_cs_page1.xml", set="cs")
    source = OaiPmhSource("cs", from_day=date(2024, 1, 1), fetcher=fetcher())
    assert upsert_papers(source.fetch(), source.name).line() == (
        "fetched 4, new 4, updated 0, skipped 0"
    )
    again = OaiPmhSource("cs", from_day=date(2024, 1, 1), fetcher=fetcher())
    assert upsert_papers(again.fetch(), again.name).line() == (
        "fetched 4, new 0, updated 0, skipped 4"
    )
    entry = DailyEntry.objects.get()
    assert (entry.paper.arxiv_id, entry.day, entry.source) == (
        "2401.02015",
        date(2024, 1, 5),
        "oai-pmh",
    )
    assert Paper.objects.get(arxiv_id="2401.04081").authors[1] == "Kamil Ciebiera"


@pytest.mark.django_db
def test_a_later_revision_date_overwrites(oai: Loopback, data_dir: Path) -> None:
    older = ParsedPaper(
        arxiv_id="2401.03093",
        title="An earlier title",
        updated=datetime(2024, 1, 5, tzinfo=UTC),
    )
    upsert_papers([older], "file")
    oai.route("/oai", data_dir / "oai_pmh_cs_page2.xml", set="cs")
    source = OaiPmhSource("cs", from_day=date(2024, 5, 1), fetcher=fetcher())
    assert upsert_papers(source.fetch(), source.name).updated == 1
    paper = Paper.objects.get(arxiv_id="2401.03093")
    assert paper.title == "XXAI: Towards eXplicitly eXplainable Artificial Intelligence"
    assert paper.updated == datetime(2024, 5, 19, tzinfo=UTC)

"""arXiv announcement feeds: who enters the daily feed, on which day, and what gets stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytest_django import Settings

from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.ingest.sources.arxiv_rss import ArxivRssSource, parse_announcements
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import DailyEntry, Paper
from tests.loopback import Loopback

ATOM = "rss_atom_cs.AI_2025-08-20.xml"
DAY = date(2025, 8, 20)
CROSS = ["2508.13426", "2508.13428", "2508.13429", "2508.13434", "2508.13435"]
NEW = ["2508.14001", "2508.14002"]
# RSS 2.0 as rss.arxiv.org/rss serves it (arXiv's "RSS feed specifications"), constructed around
# real metadata: an entry of the recorded Atom feed, and a paper of the recorded API response
# announced as a replacement; abstracts shortened.
RSS2 = b"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
 <channel>
  <title>cs.AI updates on arXiv.org</title>
  <link>http://rss.arxiv.org/rss/cs.AI</link>
  <lastBuildDate>Wed, 20 Aug 2025 04:00:19 +0000</lastBuildDate>
  <pubDate>Wed, 20 Aug 2025 00:00:00 -0400</pubDate>
  <item>
   <title>EventTSF: Event-Aware Non-Stationary Time Series Forecasting</title>
   <link>https://arxiv.org/abs/2508.13434</link>
   <description>arXiv:2508.13434v1 Announce Type: cross
Abstract: Time series forecasting plays a vital role in critical domains.</description>
   <guid isPermaLink="false">oai:arXiv.org:2508.13434v1</guid>
   <category>cs.LG</category>
   <category>cs.AI</category>
   <pubDate>Wed, 20 Aug 2025 00:00:00 -0400</pubDate>
   <arxiv:announce_type>cross</arxiv:announce_type>
   <dc:creator>Yunfeng Ge, Ming Jin, Yiji Zhao, Hongyan Li, Bo Du, Chang Xu, Shirui Pan</dc:creator>
  </item>
  <item>
   <title>Electron cloud observations at the ISIS Proton Synchrotron</title>
   <link>https://arxiv.org/abs/1309.4668</link>
   <description>arXiv:1309.4668v2 Announce Type: replace-cross
Abstract: The build up of electron clouds inside a particle accelerator.</description>
   <guid isPermaLink="false">oai:arXiv.org:1309.4668v2</guid>
   <category>physics.acc-ph</category>
   <pubDate>Wed, 20 Aug 2025 00:00:00 -0400</pubDate>
   <arxiv:announce_type>replace-cross</arxiv:announce_type>
   <arxiv:DOI>10.5170/CERN-2013-002.237</arxiv:DOI>
   <arxiv:journal_reference>CERN Yellow Report CERN-2013-002, pp.237-240</arxiv:journal_reference>
   <dc:creator>A. Pertica and S. J. Payne</dc:creator>
  </item>
 </channel>
</rss>"""


def fetcher(waits: list[float] | None = None) -> PoliteFetcher:
    sink = waits if waits is not None else []
    return PoliteFetcher(interval=0, backoff=0.01, sleep=sink.append)


def parsed(data: bytes) -> list[ParsedPaper]:
    items = list(parse_announcements(data))
    assert all(isinstance(item, ParsedPaper) for item in items)
    return items


def as_replacement(data: bytes, arxiv_id: str, title: str) -> bytes:
    """The recorded feed with one new entry turned into the announcement of its version 2."""
    text = data.decode()
    start = text.index(f"<id>oai:arXiv.org:{arxiv_id}v1</id>")
    end = text.index("</entry>", start)
    entry = text[start:end]
    changed = (
        entry.replace("v1</id>", "v2</id>")
        .replace(
            f"arXiv:{arxiv_id}v1 Announce Type: new", f"arXiv:{arxiv_id}v2 Announce Type: replace"
        )
        .replace("<arxiv:announce_type>new<", "<arxiv:announce_type>replace<")
    )
    changed = changed[: changed.index("<title>") + 7] + title + changed[changed.index("</title>") :]
    return (text[:start] + changed + text[end:]).encode()


@pytest.fixture
def feeds(loopback: Loopback, settings: Settings) -> Loopback:
    settings.ARXIV_RSS_URL = loopback.url("/atom")
    return loopback


def test_new_and_cross_entries_enter_the_feed_on_the_announcement_day(data_dir: Path) -> None:
    papers = parsed((data_dir / ATOM).read_bytes())
    assert [p.arxiv_id for p in papers] == CROSS + NEW
    assert {p.feed_day for p in papers} == {DAY}
    first = papers[0]
    assert first.title.startswith("ALIGN: Word Association Learning for Cross-Cultural")
    assert first.version == 1
    assert first.authors == ["Chunhua Liu", "Kabir Manandhar Shrestha", "Sukai Huang"]
    assert first.categories == ["cs.CL", "cs.AI"]
    assert first.abstract.startswith("As large language models (LLMs) increasingly mediate")
    # The feed's dates are announcement dates, not submission dates.
    assert (first.published, first.updated) == (None, None)
    assert papers[1].categories == ["cs.CV", "cs.AI", "cs.MM"]


def test_rss2_items_and_replacements(data_dir: Path) -> None:
    cross, replacement = parsed(RSS2)
    assert (cross.arxiv_id, cross.feed_day) == ("2508.13434", DAY)
    assert cross.abstract == "Time series forecasting plays a vital role in critical domains."
    assert cross.authors[:2] == ["Yunfeng Ge", "Ming Jin"] and len(cross.authors) == 7
    assert (replacement.arxiv_id, replacement.version, replacement.feed_day) == (
        "1309.4668",
        2,
        None,
    )
    assert replacement.authors == ["A. Pertica", "S. J. Payne"]
    assert replacement.doi == "10.5170/CERN-2013-002.237"
    assert replacement.journal_ref == "CERN Yellow Report CERN-2013-002, pp.237-240"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Plain title", "Plain title"),
        ("Old style. (arXiv:2401.00001v1 [cs.AI])", "Old style."),
        ("Updated one. (arXiv:2401.00001v2 [cs.AI] UPDATED)", "Updated one."),
    ],
)
def test_ids_in_old_feed_titles_are_dropped(title: str, expected: str) -> None:
    data = RSS2.replace(
        b"EventTSF: Event-Aware Non-Stationary Time Series Forecasting", title.encode()
    )
    assert parsed(data)[0].title == expected


def test_a_bad_entry_is_skipped_and_the_rest_kept(data_dir: Path) -> None:
    data = (data_dir / ATOM).read_bytes().replace(b"oai:arXiv.org:2508.13428v1", b"oai:arXiv.org:x")
    items = list(parse_announcements(data))
    assert sum(isinstance(i, MalformedEntry) for i in items) == 1
    assert [i.arxiv_id for i in items if isinstance(i, ParsedPaper)] == [
        "2508.13426",
        *CROSS[2:],
        *NEW,
    ]


def test_a_page_that_is_not_a_feed_raises() -> None:
    with pytest.raises(FetchError, match="not well-formed XML"):
        list(parse_announcements(b"<html><p>Bad gateway"))
    with pytest.raises(FetchError, match="neither an Atom nor an RSS feed"):
        list(parse_announcements(b"<html/>"))


def test_each_category_is_fetched_and_a_paper_comes_once(feeds: Loopback, data_dir: Path) -> None:
    feeds.route("/atom/cs.AI", data_dir / ATOM)
    feeds.route("/atom/cs.LG", data_dir / ATOM)
    items = list(ArxivRssSource(["cs.AI", "cs.LG"], fetcher=fetcher()).fetch())
    assert [i.arxiv_id for i in items] == CROSS + NEW
    assert [r.path for r in feeds.requests] == ["/atom/cs.AI", "/atom/cs.LG"]


def test_retries_when_the_feed_is_busy(feeds: Loopback, data_dir: Path) -> None:
    feeds.route("/atom/cs.AI", data_dir / ATOM)
    feeds.fail_first(2, status=503, retry_after="2")
    waits: list[float] = []
    assert len(list(ArxivRssSource(["cs.AI"], fetcher=fetcher(waits)).fetch())) == 7
    assert waits == [2.0, 2.0]


@pytest.mark.django_db
def test_stored_with_feed_entries_once(feeds: Loopback, data_dir: Path) -> None:
    feeds.route("/atom/cs.AI", data_dir / ATOM)
    source = ArxivRssSource(["cs.AI"], fetcher=fetcher())
    assert upsert_papers(source.fetch(), source.name).line() == (
        "fetched 7, new 7, updated 0, skipped 0"
    )
    assert upsert_papers(source.fetch(), source.name).line() == (
        "fetched 7, new 0, updated 0, skipped 7"
    )
    entries = DailyEntry.objects.all()
    assert len(entries) == 7
    assert {(e.day, e.source) for e in entries} == {(DAY, "arxiv-rss")}
    paper = Paper.objects.get(arxiv_id="2508.13434")
    assert paper.title == "EventTSF: Event-Aware Non-Stationary Time Series Forecasting"
    assert paper.primary_category == "cs.LG"


@pytest.mark.django_db
def test_a_replacement_updates_the_paper_but_not_its_day(feeds: Loopback, data_dir: Path) -> None:
    recorded = (data_dir / ATOM).read_bytes()
    feeds.route("/atom/cs.AI", recorded, as_replacement(recorded, "2508.14001", "A revised title"))
    source = ArxivRssSource(["cs.AI"], fetcher=fetcher())
    upsert_papers(source.fetch(), source.name)
    summary = upsert_papers(source.fetch(), source.name)
    assert (summary.new, summary.updated) == (0, 1)
    paper = Paper.objects.get(arxiv_id="2508.14001")
    assert (paper.version, paper.title) == (2, "A revised title")
    assert paper.daily_entry.day == DAY

"""Incremental OAI-PMH harvests of an arXiv set in arXiv's own metadata format.

HarvestState remembers, per set, the day the last complete harvest reached and the
resumption token of a harvest still under way (see docs/ingest.md, "OAI-PMH harvest state").
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.conf import settings

from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.ingest.models import HarvestState
from dailypapers.ingest.parsed import Checkpoint, MalformedEntry, ParsedPaper, split_arxiv_id
from dailypapers.ingest.sources.atom import (
    children,
    first,
    local_name,
    parse_timestamp,
    parse_xml,
    read_each,
    text_of,
)
from dailypapers.ingest.sources.jsonl import announcement_day

log = logging.getLogger(__name__)


class OaiError(FetchError):
    """An OAI-PMH <error>; `code` is the protocol's error code (badResumptionToken, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"OAI-PMH error {code}: {message}")
        self.code = code


@dataclass
class OaiPage:
    """One ListRecords response: its records, the token for the next page ("" at the end)."""

    items: list[ParsedPaper | MalformedEntry] = field(default_factory=list)
    token: str = ""
    latest: date | None = None
    response_day: date | None = None


def parse_oai_page(data: bytes, what: str = "OAI-PMH response") -> OaiPage:
    """Read one ListRecords response; noRecordsMatch is an empty page, other errors raise."""
    root = parse_xml(data, what)
    if local_name(root) != "OAI-PMH":
        raise FetchError(f"{what} is not an OAI-PMH response but <{local_name(root)}>")
    page = OaiPage(response_day=_day(text_of(root, "responseDate")))
    error = first(root, "error")
    if error is not None:
        code = error.get("code", "")
        if code == "noRecordsMatch":
            return page
        raise OaiError(code, text_of(error))
    listing = first(root, "ListRecords")
    if listing is None:
        raise FetchError(f"{what} holds neither records nor an error")
    records = list(children(listing, "record"))
    page.latest = max(filter(None, (_datestamp(r) for r in records)), default=None)
    live = [r for r in records if _header(r).get("status") != "deleted"]
    page.items = list(read_each(live, read_record, what))
    page.token = text_of(listing, "resumptionToken")
    return page


def read_record(record: ET.Element) -> ParsedPaper:
    """One <record> in the arXiv metadata format; raises MalformedEntry when unusable."""
    metadata = first(record, "metadata")
    arxiv = first(metadata, "arXiv") if metadata is not None else None
    if arxiv is None:
        raise MalformedEntry("record without arXiv metadata")
    arxiv_id, version = split_arxiv_id(text_of(arxiv, "id"))
    created = _day(text_of(arxiv, "created"))
    updated = text_of(arxiv, "updated")
    authors = first(arxiv, "authors")
    return ParsedPaper(
        arxiv_id=arxiv_id,
        version=version,
        title=text_of(arxiv, "title"),
        abstract=text_of(arxiv, "abstract"),
        authors=[_author(a) for a in children(authors, "author")] if authors is not None else [],
        categories=text_of(arxiv, "categories").split(),
        comment=text_of(arxiv, "comments"),
        journal_ref=text_of(arxiv, "journal-ref"),
        doi=next(iter(text_of(arxiv, "doi").split()), ""),
        published=parse_timestamp(text_of(arxiv, "created")),
        updated=parse_timestamp(updated),
        # A record without <updated> is a first version: it enters the feed on the day arXiv
        # listed it, by the same rule as metadata files; revisions only update the paper.
        feed_day=announcement_day(created) if created and not updated else None,
    )


def _author(author: ET.Element) -> str:
    parts = (text_of(author, "forenames"), text_of(author, "keyname"), text_of(author, "suffix"))
    return " ".join(part for part in parts if part)


def _header(record: ET.Element) -> ET.Element:
    header = first(record, "header")
    return header if header is not None else ET.Element("header")


def _datestamp(record: ET.Element) -> date | None:
    try:
        return _day(text_of(_header(record), "datestamp"))
    except MalformedEntry:
        return None


def _day(text: str) -> date | None:
    moment = parse_timestamp(text)
    return moment.date() if moment else None


class OaiPmhSource:
    """Records of `set_spec` changed since `from_day`, or since the last harvest of the set."""

    name = "oai-pmh"

    def __init__(
        self, set_spec: str, from_day: date | None = None, fetcher: PoliteFetcher | None = None
    ) -> None:
        self.set_spec = set_spec
        self.from_day = from_day
        self.fetcher = fetcher or PoliteFetcher()

    @property
    def key(self) -> str:
        return f"oai-pmh:{self.set_spec}"

    def fetch(self) -> Iterator[ParsedPaper | MalformedEntry | Checkpoint]:
        state, _ = HarvestState.objects.get_or_create(key=self.key)
        params = self._first_params(state)
        latest: date | None = None
        while True:
            page = self._get(params, state)
            yield from page.items
            latest = max(filter(None, (latest, page.latest)), default=None)
            if not page.token:
                break
            # Saved only once every record before it is committed; see docs/ingest.md.
            yield Checkpoint(partial(_save, state, resumption_token=page.token))
            params = {"verb": "ListRecords", "resumptionToken": page.token}
        reached = latest or page.response_day or state.last_datestamp
        yield Checkpoint(partial(_save, state, last_datestamp=reached, resumption_token=""))

    def _first_params(self, state: HarvestState) -> dict[str, str | int]:
        if state.resumption_token and self.from_day is None:
            log.info("resuming the interrupted %s harvest", self.key)
            return {"verb": "ListRecords", "resumptionToken": state.resumption_token}
        return self._from_params(self.from_day or state.last_datestamp)

    def _from_params(self, day: date | None) -> dict[str, str | int]:
        params: dict[str, str | int] = {
            "verb": "ListRecords",
            "metadataPrefix": "arXiv",
            "set": self.set_spec,
        }
        if day is None:
            # A first harvest never takes the whole set (hours of fetching, then days of
            # embedding): history comes from an explicit --from or a backfill (docs/ingest.md).
            day = date.today() - timedelta(days=settings.OAI_FIRST_HARVEST_DAYS)
            log.info("first harvest of %s: from %s (OAI_FIRST_HARVEST_DAYS)", self.key, day)
        params["from"] = day.isoformat()
        return params

    def _get(self, params: dict[str, str | int], state: HarvestState) -> OaiPage:
        try:
            return parse_oai_page(self.fetcher.get(settings.ARXIV_OAI_URL, params))
        except OaiError as error:
            # Tokens expire; a stale saved one falls back to the last completed day.
            token = params.get("resumptionToken")
            if error.code != "badResumptionToken" or not token or token != state.resumption_token:
                raise
            log.warning("saved resumption token for %s expired; starting over", self.key)
            _save(state, resumption_token="")
            return self._get(self._from_params(state.last_datestamp), state)


def _save(state: HarvestState, **fields: object) -> None:
    for name, value in fields.items():
        setattr(state, name, value)
    state.save(update_fields=[*fields, "updated_at"])

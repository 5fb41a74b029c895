"""`ingest file`: pick the parser for a local file from its content, not its name.

Besides metadata dumps (JSON Lines), a file is a saved copy of what a network source fetches,
so each such format is read by that source's own parser (detection rules: docs/ingest.md).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path

from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.ingest.sources.arxiv_api import parse_api_page
from dailypapers.ingest.sources.arxiv_rss import parse_announcements
from dailypapers.ingest.sources.base import Source
from dailypapers.ingest.sources.hf_daily import parse_daily_papers
from dailypapers.ingest.sources.jsonl import JsonLinesSource
from dailypapers.ingest.sources.oai_pmh import parse_oai_page
from dailypapers.ingest.sources.snapshot import ArxivSnapshotSource

HEAD_BYTES = 64 * 1024
_ROOT = re.compile(r"<(?![?!])(?:[\w.\-]+:)?([\w.\-]+)")
_HF_KEYS = ('"paper"', '"submittedOnDailyAt"', '"upvotes"')
_SNAPSHOT_KEYS = ("authors_parsed", "versions")  # only arXiv's snapshot lines carry both

Parser = Callable[[bytes, str], Iterable[ParsedPaper | MalformedEntry]]


class FileFormatError(ValueError):
    """The file cannot be read, or its format is none we know; the message says which."""


@dataclass
class SavedPayloadSource:
    """A saved network payload (arXiv Atom or RSS, OAI-PMH, Hugging Face JSON) read from disk."""

    path: Path
    parse: Parser
    #: DailyEntry source recorded; Hugging Face files keep "hf-daily" (see docs/ingest.md)
    name: str = "file"

    def fetch(self) -> Iterator[ParsedPaper | MalformedEntry]:
        yield from self.parse(_read(self.path), self.path.name)


PARSERS: dict[str, Parser] = {
    "arxiv-api": lambda data, what: parse_api_page(data, what).items,
    "arxiv-rss": parse_announcements,
    "oai-pmh": lambda data, what: parse_oai_page(data, what).items,
    "hf-daily": lambda data, what: parse_daily_papers(data, None, what),
}


def open_file_source(path: Path) -> Source:
    """A source reading `path`; FileFormatError when it cannot be read or recognised."""
    path = Path(path)
    try:
        kind = detect_format(_head(path))
    except OSError as error:
        raise FileFormatError(f"cannot read {path}: {error}") from error
    except FileFormatError as error:
        raise FileFormatError(f"cannot tell the format of {path}: {error}") from error
    if kind == "jsonl":
        return JsonLinesSource(path)
    if kind == "arxiv-snapshot":
        return ArxivSnapshotSource(path)
    return SavedPayloadSource(path, PARSERS[kind], "hf-daily" if kind == "hf-daily" else "file")


def detect_format(head: bytes) -> str:
    """Which parser reads a file, by its head: jsonl, arxiv-snapshot, arxiv-api, arxiv-rss,
    oai-pmh or hf-daily."""
    text = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    if not text:
        raise FileFormatError("the file is empty")
    if text.startswith("<"):
        return _xml_format(text)
    if text.startswith(("[", "{")):
        return _json_format(text)
    raise FileFormatError(f"it is neither JSON nor XML; it starts {text[:40]!r}")


def _xml_format(text: str) -> str:
    match = _ROOT.search(text)
    root = match.group(1) if match else ""
    if root == "OAI-PMH":
        return "oai-pmh"
    if root == "rss" or (root == "feed" and ("announce_type" in text or "rss.arxiv.org" in text)):
        return "arxiv-rss"
    if root == "feed" and any(mark in text for mark in ("arxiv.org/api", "opensearch", "/abs/")):
        return "arxiv-api"
    if root == "feed":
        raise FileFormatError("an Atom feed, but neither from the arXiv API nor an arXiv listing")
    raise FileFormatError(f"XML whose root is <{root}>, not an arXiv feed or OAI-PMH response")


def _json_format(text: str) -> str:
    if text.startswith("["):
        if any(key in text for key in _HF_KEYS):
            return "hf-daily"
        raise FileFormatError("a JSON array, but not of Hugging Face daily papers")
    try:
        first = json.loads(text.split("\n", 1)[0])
    except ValueError:
        first = None  # a pretty-printed object, or a first line longer than the head
    if isinstance(first, dict) and all(key in first for key in _SNAPSHOT_KEYS):
        return "arxiv-snapshot"
    if isinstance(first, dict) and not isinstance(first.get("papers"), list):
        return "jsonl"
    if '"papers"' in text:
        return "hf-daily"
    raise FileFormatError('a JSON object that is neither JSON Lines nor {"papers": [...]}')


def _head(path: Path) -> bytes:
    with _open(path) as handle:
        return bytes(handle.read(HEAD_BYTES))


def _read(path: Path) -> bytes:
    with _open(path) as handle:
        return bytes(handle.read())


def _open(path: Path) -> BufferedIOBase:
    with open(path, "rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")

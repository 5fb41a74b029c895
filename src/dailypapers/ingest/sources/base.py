"""The one small interface every source implements."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from dailypapers.ingest.parsed import Checkpoint, MalformedEntry, ParsedPaper


class Source(Protocol):
    """Yields parsed papers, and a MalformedEntry (not raised) for each entry it cannot read.

    A source that keeps state (a harvest position) yields a Checkpoint to save it only after
    everything before it has been committed.
    """

    #: the DailyEntry.Source value recorded for papers this source puts in the feed
    name: str

    def fetch(self) -> Iterator[ParsedPaper | MalformedEntry | Checkpoint]: ...

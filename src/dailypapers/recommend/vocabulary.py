"""How many papers hold each term (recommend/terms.py), kept in TermStatistics: counted from
the papers table, caught up after each ingest by recommend/tasks.py, and read by the ranking
to weigh rare terms above common ones. Derived data: any host rebuilds it from the database
(docs/recommend.md, "Method")."""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db import transaction

from dailypapers.papers.models import Paper
from dailypapers.recommend import terms
from dailypapers.recommend.models import TermStatistics

# What of a paper its terms are cut from (recommend/terms.py), in this order.
TEXT_FIELDS = ("title", "abstract", "comment")
COUNT_BATCH = 2000  # papers read and counted per query
SAVE_EVERY = 20_000  # papers counted per transaction (each saves the 16 MB of counts)


@dataclass
class Statistics:
    counts: npt.NDArray[np.int32]
    papers: int
    papers_through: int
    terms_version: int = terms.VERSION

    @property
    def marker(self) -> tuple[int, int, int]:
        """What changes whenever the counts do."""
        return (self.papers_through, self.papers, self.terms_version)


_cached: Statistics | None = None
_lock = threading.Lock()
# Papers whose cut terms a process keeps, least recently used dropped first (~1.2 kB each).
KEEP_CUT_PAPERS = 20_000
_counted_papers: OrderedDict[int, tuple[int, terms.Counted]] = OrderedDict()


def count_new_papers() -> int:
    """Count the terms of every paper added since the last count; how many were counted.
    Each transaction counts up to SAVE_EVERY papers and records how far it got, so a run cut
    short resumes where it stopped."""
    added = 0
    while counted := _count_some():
        added += counted
    return added


def _count_some() -> int:
    with transaction.atomic():
        row = TermStatistics.objects.select_for_update().first()
        row = row or TermStatistics(counts=b"", terms_version=terms.VERSION, recounting=True)
        stale = row.terms_version != terms.VERSION
        if stale:  # counted by another cut of the terms: all counted again, from the first paper
            row.counts, row.papers, row.papers_through = b"", 0, 0
            row.terms_version, row.recounting = terms.VERSION, True
        counts = _decode(row.counts)
        added, caught_up = 0, False
        while added < SAVE_EVERY:
            batch = list(
                Paper.objects.filter(id__gt=row.papers_through)
                .order_by("id")
                .values_list("id", *TEXT_FIELDS)[:COUNT_BATCH]
            )
            if not batch:
                caught_up = row.recounting
                row.recounting = False
                break
            for _, *text in batch:
                counts[list(terms.term_counts(*text))] += 1
            row.papers += len(batch)
            row.papers_through = batch[-1][0]
            added += len(batch)
        if added or stale or row.pk is None:
            row.counts = counts.astype("<i4").tobytes()
            row.save()
        elif caught_up:  # the counts are as stored: only the flag changes
            row.save(update_fields=["recounting", "counted_at"])
    return added


def statistics() -> Statistics:
    """The stored counts, read again only when they have changed since this process last read
    them (one small query per call)."""
    global _cached
    marker = TermStatistics.objects.values_list("papers_through", "papers", "terms_version").first()
    with _lock:
        if marker is None:
            return Statistics(np.zeros(terms.BUCKETS, np.int32), 0, 0)
        if _cached is None or _cached.marker != marker:
            row = TermStatistics.objects.get()
            _cached = Statistics(
                _decode(row.counts), row.papers, row.papers_through, row.terms_version
            )
        return _cached


def term_rows(papers: list[tuple[int, str, str, str]]) -> terms.TermMatrix:
    """Weighted term rows of (id, *TEXT_FIELDS) papers, against the stored counts."""
    stats = statistics()
    return terms.weigh([_counted(*paper) for paper in papers], stats.counts, stats.papers)


def _counted(pk: int, *text: str) -> terms.Counted:
    """A paper's terms, cut once per process while its text is unchanged: every member's
    scoring of the same window reads the same candidates (docs/recommend.md, "Speed")."""
    checksum = zlib.crc32("\x00".join(text).encode())
    with _lock:
        kept = _counted_papers.get(pk)
        if kept is not None and kept[0] == checksum:
            _counted_papers.move_to_end(pk)
            return kept[1]
    found = terms.counted(*text)
    with _lock:
        _counted_papers[pk] = (checksum, found)
        _counted_papers.move_to_end(pk)
        while len(_counted_papers) > KEEP_CUT_PAPERS:
            _counted_papers.popitem(last=False)
    return found


def _decode(blob: bytes | memoryview | None) -> npt.NDArray[np.int32]:
    if not blob:
        return np.zeros(terms.BUCKETS, np.int32)
    return np.frombuffer(bytes(blob), dtype="<i4").astype(np.int32)

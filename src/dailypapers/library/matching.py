"""Finding a library entry's paper: by arXiv id, then DOI (arXiv's own DOIs name the id), then
by title when the entry carries no identifier we know (docs/recommend.md, "Import")."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from django.db.models import QuerySet
from django.db.models.functions import Lower

from dailypapers.library.entries import LibraryEntry
from dailypapers.papers.models import Paper, titled

_VERSION = re.compile(r"v\d+$")


def match_entries(entries: Sequence[LibraryEntry]) -> list[int | None]:
    """The paper id of each entry (None: not found), in order; a few queries per chunk."""
    ids = {_VERSION.sub("", e.arxiv_id) for e in entries if e.arxiv_id}
    by_arxiv = dict(
        Paper.objects.filter(arxiv_id__in=ids, is_hidden=False).values_list("arxiv_id", "id")
    )
    dois = {e.doi for e in entries if e.doi}  # lower-cased by the parsers
    by_doi = {doi.lower(): pk for doi, pk in with_dois(dois).values_list("doi", "id")}
    found: list[int | None] = []
    for entry in entries:
        pk = by_arxiv.get(_VERSION.sub("", entry.arxiv_id)) if entry.arxiv_id else None
        pk = pk or (by_doi.get(entry.doi) if entry.doi else None)
        if pk is None and entry.title and not entry.arxiv_id:
            pk = match_title(entry.title)
        found.append(pk)
    return found


def match_title(title: str) -> int | None:
    """The visible paper with this title (case and spacing aside), if exactly one has it."""
    title = " ".join(title.split())
    if len(title) < 12:
        return None  # "Introduction" matches too much to mean one paper
    found = list(with_title(title).values_list("id", flat=True)[:2])
    return found[0] if len(found) == 1 else None


def with_dois(dois: Collection[str]) -> QuerySet[Paper]:
    """Visible papers with one of these lower-cased DOIs, whatever case the record keeps, read
    off the index of lower-cased DOIs (papers migration 0010)."""
    papers = Paper.objects.exclude(doi="").alias(key=Lower("doi"))
    return papers.filter(key__in=dois, is_hidden=False).order_by()


def with_title(title: str) -> QuerySet[Paper]:
    """Visible papers with this title, case aside (papers/models.py:titled, by index)."""
    return titled(title).filter(is_hidden=False)

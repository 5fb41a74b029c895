"""Importing a library file into one of the member's collections: read it, keep a job, match
its entries chunk by chunk (tasks.run_import), list what did not match."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dailypapers.community.collections import CollectionRefused, create_collection
from dailypapers.community.models import Collection, CollectionItem
from dailypapers.library import parsers
from dailypapers.library.entries import LibraryEntry
from dailypapers.library.matching import match_entries
from dailypapers.library.models import ImportJob

CHUNK = 200


class ImportRefused(ValueError):
    """A file that cannot be imported at all; the message says why."""


def start_import(user: User, filename: str, data: bytes, collection_name: str = "") -> ImportJob:
    """Read the file and keep a job for it; small files are imported at once."""
    if len(data) > settings.LIBRARY_IMPORT_MAX_BYTES:
        raise ImportRefused(
            f"The file is larger than {settings.LIBRARY_IMPORT_MAX_BYTES // 1_000_000} MB."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        format = parsers.detect(text, filename)
        parsed = parsers.parse(text, format)
    except parsers.UnknownFormat as error:
        raise ImportRefused(str(error)) from None
    if not parsed.entries and not parsed.problems:
        raise ImportRefused("The file holds no entries.")
    try:
        collection = _collection(user, collection_name or "Imported library")
    except CollectionRefused as refused:
        raise ImportRefused(str(refused)) from None
    job = ImportJob.objects.create(
        user=user,
        collection=collection,
        filename=filename[:255],
        format=format,
        entries=[entry.to_json() for entry in parsed.entries],
        problems=[{"where": p.where, "reason": p.reason} for p in parsed.problems],
    )
    if len(parsed.entries) <= settings.LIBRARY_IMPORT_INLINE_ENTRIES:
        run_chunks(job.pk)
        job.refresh_from_db()
    return job


def run_chunks(job_id: int, chunks: int | None = None) -> ImportJob:
    """Work through the job from where it stopped, CHUNK entries per transaction; each chunk
    moves `position` with its results, so a killed run resumes without doing one twice."""
    done = 0
    while chunks is None or done < chunks:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
                return job
            if job.position >= job.total:
                job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
                job.save(update_fields=["status", "finished_at"])
                return job
            _chunk(job)
        done += 1
    return ImportJob.objects.get(pk=job_id)


def _chunk(job: ImportJob) -> None:
    entries = [LibraryEntry.from_json(e) for e in job.entries[job.position : job.position + CHUNK]]
    found = match_entries(entries)
    if job.collection_id is None:
        job.status, job.error = (
            ImportJob.Status.FAILED,
            "The collection was deleted during the import.",
        )
        job.save(update_fields=["status", "error"])
        return
    papers = list(dict.fromkeys(pk for pk in found if pk is not None))
    CollectionItem.objects.bulk_create(
        [CollectionItem(collection_id=job.collection_id, paper_id=pk) for pk in papers],
        ignore_conflicts=True,
    )
    job.unmatched = [
        *job.unmatched,
        *(_unmatched(e) for e, pk in zip(entries, found, strict=True) if pk is None),
    ]
    job.matched += sum(pk is not None for pk in found)
    job.position += len(entries)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["unmatched", "matched", "position", "status"])


def _unmatched(entry: LibraryEntry) -> dict[str, str]:
    if entry.arxiv_id:
        why = f"arXiv {entry.arxiv_id} is not on this site"
    elif entry.doi:
        why = f"no paper here has the DOI {entry.doi}" + (" or this title" if entry.title else "")
    else:
        why = "no paper here has this title"
    return {"label": entry.label, "title": entry.title, "why": why}


def _collection(user: User, name: str) -> Collection:
    name = " ".join(name.split())[:120]
    existing = Collection.objects.filter(owner=user, name=name).first()
    return existing or create_collection(user, name)

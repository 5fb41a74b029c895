"""Background work of library imports, for the task engine: one job = one call, resumable and
safe to run twice (a finished import is left alone)."""

from __future__ import annotations

from dailypapers.library.imports import run_chunks
from dailypapers.library.models import ImportJob


def run_import(job_id: int) -> str:
    """Match the rest of an import's entries; a one-line summary."""
    job = run_chunks(job_id)
    counts = f"{job.matched} matched, {len(job.unmatched)} not found"
    return f"import {job.pk}: {counts}, {len(job.problems)} unreadable ({job.status})"


def pending_imports() -> list[int]:
    """Imports waiting or cut short, oldest first: what a worker should run."""
    waiting = ImportJob.objects.filter(
        status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]
    )
    return list(waiting.order_by("id").values_list("id", flat=True))

"""Run one source into the database with a progress bar and a summary."""

from __future__ import annotations

import sys

from tqdm import tqdm

from dailypapers.ingest.sources.base import Source
from dailypapers.ingest.upsert import IngestSummary, upsert_papers
from dailypapers.papers.models import Paper


def run_source(source: Source, progress: bool = True, batch_size: int = 2000) -> IngestSummary:
    """Fetch everything `source` yields and store it; returns the counts."""
    with tqdm(desc=f"ingest {source.name}", unit=" papers", disable=not progress,
              file=sys.stderr, mininterval=0.5) as bar:
        return upsert_papers(source.fetch(), source.name, batch_size, on_progress=bar.update)


def database_is_empty() -> bool:
    return not Paper.objects.exists()

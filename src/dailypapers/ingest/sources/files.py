"""`ingest file`: pick the parser for a local file from its content, not its name."""

from __future__ import annotations

from pathlib import Path

from dailypapers.ingest.sources.base import Source
from dailypapers.ingest.sources.jsonl import JsonLinesSource


def open_file_source(path: Path) -> Source:
    """A source reading `path`; JSON Lines for now (Atom and HF JSON detection to come)."""
    return JsonLinesSource(path)

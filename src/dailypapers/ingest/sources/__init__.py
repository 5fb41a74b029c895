"""Ingestion sources: each module turns one outside format into ParsedPaper items."""

"""Thumbnail tests: PDFs served on loopback as arXiv's, images kept in a temporary directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.loopback import Loopback


@pytest.fixture
def thumbnail_dir(tmp_path: Path, settings: Any, loopback: Loopback) -> Path:
    """Images kept under a temporary directory; PDFs fetched from the loopback server."""
    folder = tmp_path / "thumbnails"
    settings.STORAGES = {
        **settings.STORAGES,
        "thumbnails": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    settings.ARXIV_PDF_URL = loopback.url("/pdf")
    settings.ARXIV_BUDGET_FILE = str(tmp_path / "arxiv-budget")
    settings.INGEST_REQUEST_INTERVAL = 0
    settings.INGEST_MAX_RETRIES = 0
    settings.THUMBNAIL_RETRY_SECONDS = 3600
    settings.THUMBNAIL_MAX_ATTEMPTS = 3
    return folder


def serve_pdf(loopback: Loopback, arxiv_id: str, *bodies: bytes, status: int = 200) -> None:
    loopback.route(f"/pdf/{arxiv_id}", *bodies, status=status, content_type="application/pdf")


def pdf_requests(loopback: Loopback, arxiv_id: str) -> int:
    return sum(1 for request in loopback.requests if request.path == f"/pdf/{arxiv_id}")

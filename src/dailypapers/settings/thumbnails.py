"""Thumbnails of papers' first pages: where the PDFs come from, how they are rendered and
where the images are kept (docs/thumbnails.md)."""

from __future__ import annotations

from typing import Any

from dailypapers.config import as_bool, env
from dailypapers.settings import core
from dailypapers.settings.core import DATA_DIR

ARXIV_PDF_URL = env(
    "ARXIV_PDF_URL",
    "https://arxiv.org/pdf",
    "Where papers' PDFs are fetched for thumbnails; the arXiv id is appended. Its requests "
    "share the arXiv budget (ARXIV_BUDGET_FILE).",
)
THUMBNAILS_ENABLED = env(
    "THUMBNAILS_ENABLED",
    "true",
    "Make first-page thumbnails of new papers (the worker's thumbnails job); false: none are "
    "fetched, cards show those already made.",
    as_bool,
)
THUMBNAIL_WIDTH = env(
    "THUMBNAIL_WIDTH", "320", "Width in pixels of a first-page thumbnail (WebP).", int
)
THUMBNAIL_STORAGE_BACKEND = env(
    "THUMBNAIL_STORAGE_BACKEND",
    "django.core.files.storage.FileSystemStorage",
    "Django storage class keeping thumbnails: files under THUMBNAIL_DIR by default; an "
    "S3-compatible store via django-storages for several machines (docs/thumbnails.md).",
)
THUMBNAIL_DIR = env(
    "THUMBNAIL_DIR",
    str(DATA_DIR / "thumbnails"),
    "Directory of the thumbnail images when THUMBNAIL_STORAGE_BACKEND keeps files.",
)
THUMBNAIL_RENDER_SECONDS = env(
    "THUMBNAIL_RENDER_SECONDS",
    "20",
    "Longest a PDF's first page may take to render (a child process, stopped after).",
    float,
)
THUMBNAIL_RENDER_MEMORY_MB = env(
    "THUMBNAIL_RENDER_MEMORY_MB",
    "768",
    "Address-space limit in MiB of the child process rendering one PDF.",
    int,
)
THUMBNAIL_MAX_PDF_MB = env(
    "THUMBNAIL_MAX_PDF_MB", "60", "PDFs larger than this many MiB are not rendered.", int
)
THUMBNAIL_MAX_ATTEMPTS = env(
    "THUMBNAIL_MAX_ATTEMPTS",
    "6",
    "Tries to fetch and render a paper's PDF before it is left without a thumbnail.",
    int,
)
THUMBNAIL_RETRY_SECONDS = env(
    "THUMBNAIL_RETRY_SECONDS",
    "3600",
    "Wait before the first retry of a PDF that failed; doubled after each further failure.",
    float,
)
THUMBNAIL_RECENT_DAYS = env(
    "THUMBNAIL_RECENT_DAYS",
    "3",
    "Feed days (back from the latest) whose papers the worker's thumbnails job covers; older "
    "papers through `dailypapers thumbnails backfill`.",
    int,
)

# The core's storages and one for the thumbnails (settings/__init__ imports this module later).
STORAGES: dict[str, dict[str, Any]] = {
    **core.STORAGES,
    "thumbnails": {
        "BACKEND": THUMBNAIL_STORAGE_BACKEND,
        "OPTIONS": (
            {"location": THUMBNAIL_DIR}
            if THUMBNAIL_STORAGE_BACKEND.endswith("FileSystemStorage")
            else {}
        ),
    },
}

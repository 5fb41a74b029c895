"""The default backend: Django's file cache without compression, which reads what it wrote,
expires it, and takes an entry it cannot read (FileBasedCache's, compressed) as missing."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.cache.backends.filebased import FileBasedCache

from dailypapers.caching.backends import PlainFileCache


def test_it_reads_back_what_it_wrote_uncompressed(tmp_path: Path) -> None:
    cache = PlainFileCache(str(tmp_path), {})
    page = b"<p>" + b"cats and dogs " * 1000 + b"</p>"
    cache.set("page", page, timeout=60)
    assert cache.get("page") == page
    [stored] = tmp_path.iterdir()
    assert page in stored.read_bytes(), "the page is stored as it is sent"
    assert cache.touch("page", timeout=60)
    assert cache.get("page") == page


def test_entries_expire(tmp_path: Path) -> None:
    cache = PlainFileCache(str(tmp_path), {})
    cache.set("page", b"old", timeout=1)
    time.sleep(1.1)
    assert cache.get("page", "missing") == "missing"


def test_an_entry_written_compressed_is_missing_and_removed(tmp_path: Path) -> None:
    FileBasedCache(str(tmp_path), {}).set("version", 7, timeout=None)
    cache = PlainFileCache(str(tmp_path), {})
    assert cache.get("version", "missing") == "missing"
    assert list(tmp_path.iterdir()) == []
    assert cache.add("version", 8, timeout=None)
    assert cache.get("version") == 8

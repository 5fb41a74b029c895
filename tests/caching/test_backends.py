"""The default backend: Django's file cache without compression, which reads what it wrote,
expires it, and takes an entry it cannot read (FileBasedCache's, compressed) as missing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from dailypapers.caching import backends
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


def test_the_directory_is_counted_on_one_set_in_cull_every_and_stays_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Django lists every file on each set; here one set in CULL_EVERY does, and the cache
    passes MAX_ENTRIES by at most CULL_EVERY files before a cull takes them back."""
    cache = PlainFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 20}})
    listed = []
    real = PlainFileCache._list_cache_files

    def counting(self: PlainFileCache) -> list[str]:
        listed.append(1)
        return real(self)  # type: ignore[no-any-return]

    monkeypatch.setattr(PlainFileCache, "_list_cache_files", counting)
    sizes = []
    for n in range(10 * backends.CULL_EVERY):
        cache.set(f"page-{n}", b"x", timeout=60)
        sizes.append(len(list(tmp_path.iterdir())))
    assert len(listed) == 10
    assert max(sizes) <= 20 + backends.CULL_EVERY
    assert sizes[-1] < 10 * backends.CULL_EVERY, "culls took entries back"

"""Polite HTTP for sources: one request per interval per host, retries with backoff on 429/5xx.

Every request to arXiv (API, RSS, OAI-PMH, PDFs) also takes its turn on one budget shared by
every fetcher and process of the installation: a locked file holding the next allowed time
(docs/ingest.md, "Politeness").
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from dailypapers.numbers import parse_int

log = logging.getLogger(__name__)
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_QUEUE_SECONDS = 3600.0


class FetchError(RuntimeError):
    """A source could not be fetched; the message says which URL and why."""


@dataclass
class SharedBudget:
    """One request per `interval` seconds across every process that uses the same file.

    A caller reserves the next free slot under an exclusive lock and sleeps outside it, so
    other processes can queue their own slots meanwhile. The file holds the next allowed
    time (seconds since the epoch, wall clock: shared between processes, unlike monotonic).
    """

    path: Path
    interval: float

    def reserve(self) -> float:
        """Take the next slot; return how many seconds to wait before using it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            now = time.time()
            stored = _parse_time(os.pread(fd, 64, 0))
            # A next time further out than any real queue (the clock was set back) starts afresh.
            slot = stored if now < stored <= now + MAX_QUEUE_SECONDS else now
            data = f"{slot + self.interval:.6f}\n".encode()
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)
            return slot - now
        finally:
            os.close(fd)  # closing releases the lock


def _parse_time(raw: bytes) -> float:
    try:
        return float(raw.decode().strip() or 0)
    except (UnicodeDecodeError, ValueError):
        return 0.0


def arxiv_budget(interval: float) -> SharedBudget:
    """The installation's arXiv budget (ARXIV_BUDGET_FILE)."""
    return SharedBudget(Path(settings.ARXIV_BUDGET_FILE), interval)


def is_arxiv(url: str) -> bool:
    """Whether `url` is one of arXiv's (by host, or under a configured arXiv source URL, which
    tests point at loopback)."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "arxiv.org" or host.endswith(".arxiv.org"):
        return True
    bases = [getattr(settings, name, "") for name in ARXIV_URL_SETTINGS]
    return any(base and url.startswith(base) for base in bases)


# Settings naming an arXiv endpoint; their requests share the arXiv budget.
ARXIV_URL_SETTINGS = ("ARXIV_API_URL", "ARXIV_RSS_URL", "ARXIV_OAI_URL", "ARXIV_PDF_URL")


@dataclass
class PoliteFetcher:
    """Fetches URLs no faster than `interval` seconds apart per host, retrying transient errors."""

    interval: float = field(default_factory=lambda: settings.INGEST_REQUEST_INTERVAL)
    max_retries: int = field(default_factory=lambda: settings.INGEST_MAX_RETRIES)
    timeout: float = field(default_factory=lambda: settings.INGEST_TIMEOUT)
    backoff: float = 2.0
    sleep: object = time.sleep
    _last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, url: str, params: dict[str, str | int] | None = None) -> bytes:
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
        for attempt in range(self.max_retries + 1):
            self._wait_turn(url)
            try:
                return self._open(url)
            except urllib.error.HTTPError as error:
                if error.code not in RETRY_STATUSES or attempt == self.max_retries:
                    raise FetchError(f"{url} answered HTTP {error.code} {error.reason}") from error
                delay = self._retry_delay(error, attempt)
                log.warning("%s answered %s; retrying in %.1fs", url, error.code, delay)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == self.max_retries:
                    raise FetchError(f"{url} could not be reached: {error}") from error
                delay = self.backoff * 2**attempt
                log.warning("%s failed (%s); retrying in %.1fs", url, error, delay)
            self.sleep(delay)  # type: ignore[operator]
        raise FetchError(f"{url}: retries exhausted")  # pragma: no cover - loop always returns

    def _open(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": settings.INGEST_USER_AGENT})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return bytes(response.read())

    def _wait_turn(self, url: str) -> None:
        host = urllib.parse.urlsplit(url).netloc
        with self._lock:
            wait = self._last.get(host, -1e9) + self.interval - time.monotonic()
            if self.interval > 0 and is_arxiv(url):
                wait = arxiv_budget(self.interval).reserve()  # counts this process's turns too
            if wait > 0:
                self.sleep(wait)  # type: ignore[operator]
            self._last[host] = time.monotonic()

    def _retry_delay(self, error: urllib.error.HTTPError, attempt: int) -> float:
        retry_after = parse_int(error.headers.get("Retry-After") if error.headers else None)
        if retry_after is not None:
            return min(float(retry_after), 300.0)
        return float(self.backoff * 2**attempt)

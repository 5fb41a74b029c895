"""Polite HTTP for sources: one request per interval per host, retries with backoff on 429/5xx."""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings

from dailypapers.numbers import parse_int

log = logging.getLogger(__name__)
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(RuntimeError):
    """A source could not be fetched; the message says which URL and why."""


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
            if wait > 0:
                self.sleep(wait)  # type: ignore[operator]
            self._last[host] = time.monotonic()

    def _retry_delay(self, error: urllib.error.HTTPError, attempt: int) -> float:
        retry_after = parse_int(error.headers.get("Retry-After") if error.headers else None)
        if retry_after is not None:
            return min(float(retry_after), 300.0)
        return float(self.backoff * 2**attempt)

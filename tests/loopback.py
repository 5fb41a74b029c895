"""A real HTTP server on 127.0.0.1 serving recorded payloads, programmable per test.

Tests route a path (and optionally some query parameters) to replies, point the source URL
settings at `loopback.url(...)`, and read back the requests the sources made.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    path: str
    params: dict[str, str]
    replies: list[Reply]

    def matches(self, path: str, params: dict[str, str]) -> bool:
        return path == self.path and all(params.get(k) == v for k, v in self.params.items())

    def next_reply(self) -> Reply:
        # Replies are served in order; the last one keeps answering.
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


@dataclass
class Request:
    path: str
    params: dict[str, str]


@dataclass
class Loopback:
    """The server's routing table and the log of requests it received."""

    base: str = ""
    routes: list[Route] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    failures: list[Reply] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "") -> str:
        return f"{self.base}{path}"

    def route(
        self,
        path: str,
        *bodies: bytes | str | Path,
        status: int = 200,
        content_type: str = "application/xml",
        query: dict[str, str] | None = None,
        **params: str,
    ) -> None:
        """Answer GET `path` (with these query parameters, others ignored) with `bodies` in turn.

        Parameters go as keywords, or in `query` when their name is a keyword (`from`).
        """
        replies = [Reply(status, _bytes(body), {"Content-Type": content_type}) for body in bodies]
        wanted = {**(query or {}), **params}
        self.routes.append(Route(path, wanted, replies or [Reply(status)]))

    def fail_first(self, count: int, status: int = 429, retry_after: str | None = "1") -> None:
        """Answer the next `count` requests, whatever their path, with `status`."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self.failures.extend(Reply(status, b"slow down", headers) for _ in range(count))

    def answer(self, target: str) -> Reply:
        split = urllib.parse.urlsplit(target)
        params = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        with self.lock:
            self.requests.append(Request(split.path, params))
            if self.failures:
                return self.failures.pop(0)
            for route in self.routes:
                if route.matches(split.path, params):
                    return route.next_reply()
        return Reply(404, b"no route for " + target.encode())


def _bytes(body: bytes | str | Path) -> bytes:
    if isinstance(body, Path):
        return body.read_bytes()
    return body.encode() if isinstance(body, str) else body


def _handler(loopback: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = loopback.answer(self.path)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet

    return Handler


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    """A fresh server per test on a free loopback port, stopped afterwards."""
    state = Loopback()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll interval keeps shutdown (and so each test) fast.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

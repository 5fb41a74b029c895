"""PoliteFetcher: spacing per host, retries that honour Retry-After, and when it gives up."""

from __future__ import annotations

import socket

import pytest

from dailypapers.ingest.http import FetchError, PoliteFetcher
from tests.loopback import Loopback


def make_fetcher(waits: list[float], **options: float) -> PoliteFetcher:
    settings = {"interval": 0.0, "backoff": 0.5, "max_retries": 3, "timeout": 5.0, **options}
    return PoliteFetcher(sleep=waits.append, **settings)


def test_second_request_to_a_host_waits_for_the_interval(loopback: Loopback) -> None:
    loopback.route("/a", "first")
    loopback.route("/b", "second")
    waits: list[float] = []
    fetcher = make_fetcher(waits, interval=30.0)
    assert fetcher.get(loopback.url("/a")) == b"first"
    assert waits == []
    assert fetcher.get(loopback.url("/b")) == b"second"
    # It asked to sleep for (nearly) the whole interval before the second request.
    assert len(waits) == 1 and 25.0 < waits[0] <= 30.0


def test_other_hosts_are_not_held_back(loopback: Loopback) -> None:
    loopback.route("/a", "ok")
    waits: list[float] = []
    fetcher = make_fetcher(waits, interval=30.0)
    fetcher.get(loopback.url("/a"))
    fetcher.get(loopback.url("/a").replace("127.0.0.1", "localhost"))
    assert waits == []


def test_query_parameters_are_sent(loopback: Loopback) -> None:
    loopback.route("/q", "found", start="20")
    fetcher = make_fetcher([])
    assert fetcher.get(loopback.url("/q"), {"search_query": "cat:cs.AI", "start": 20}) == b"found"
    assert loopback.requests[0].params == {"search_query": "cat:cs.AI", "start": "20"}


@pytest.mark.parametrize("status", [429, 503])
def test_retries_after_the_delay_the_server_asks_for(loopback: Loopback, status: int) -> None:
    loopback.route("/busy", "finally")
    loopback.fail_first(2, status=status, retry_after="7")
    waits: list[float] = []
    assert make_fetcher(waits).get(loopback.url("/busy")) == b"finally"
    assert waits == [7.0, 7.0]
    assert len(loopback.requests) == 3


def test_backs_off_exponentially_without_retry_after(loopback: Loopback) -> None:
    loopback.route("/busy", "finally")
    loopback.fail_first(3, status=502, retry_after=None)
    waits: list[float] = []
    assert make_fetcher(waits).get(loopback.url("/busy")) == b"finally"
    assert waits == [0.5, 1.0, 2.0]


def test_gives_up_after_max_retries(loopback: Loopback) -> None:
    loopback.fail_first(10, status=503, retry_after="1")
    waits: list[float] = []
    with pytest.raises(FetchError, match="HTTP 503"):
        make_fetcher(waits, max_retries=2).get(loopback.url("/down"))
    assert len(loopback.requests) == 3
    assert waits == [1.0, 1.0]


def test_does_not_retry_a_missing_page(loopback: Loopback) -> None:
    waits: list[float] = []
    with pytest.raises(FetchError, match="HTTP 404"):
        make_fetcher(waits).get(loopback.url("/nothing-here"))
    assert len(loopback.requests) == 1
    assert waits == []


def test_unreachable_host_is_a_fetch_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits: list[float] = []
    with pytest.raises(FetchError, match="could not be reached"):
        make_fetcher(waits, max_retries=1).get(f"http://127.0.0.1:{port}/")
    assert waits == [0.5]

"""What /healthz checks: the database answers and the cache answers, each timed, so a load
balancer takes a host out of rotation when either is gone (docs/operations.md, "Health")."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection


@dataclass
class Check:
    name: str
    ok: bool
    ms: float
    error: str = ""


def run_checks() -> list[Check]:
    return [_timed("database", _database), _timed("cache", _cache)]


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key, value = "healthz:probe", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")


def _timed(name: str, check: object) -> Check:
    started = time.perf_counter()
    try:
        check()  # type: ignore[operator]
    except Exception as error:  # the whole point is to report it, not to fail the request
        return Check(name, False, _ms(started), f"{type(error).__name__}: {error}")
    return Check(name, True, _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)

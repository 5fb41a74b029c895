"""The suite runs on the database it was asked for (DAILYPAPERS_TEST_DB)."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_requested_database() -> None:
    wanted = "postgresql" if os.environ.get("DAILYPAPERS_TEST_DB") == "postgres" else "sqlite"
    assert connection.vendor == wanted

"""Schemathesis against /api/openapi.json on a live server: for generated requests to every
operation, no 5xx and every response (status, content type, headers, body) as documented."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from pytest_django import Settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dailypapers.api.tokens import create_token
from tests.accounts.factories import make_member
from tests.api.conftest import make_feed

EXAMPLES = 50  # per operation and run: under a minute in all
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]


@pytest.mark.parametrize(
    ("mode", "as_member"),
    [
        (GenerationMode.POSITIVE, False),
        (GenerationMode.NEGATIVE, False),
        (GenerationMode.POSITIVE, True),
    ],
    ids=["valid", "invalid", "member"],
)
def test_every_response_matches_the_document(
    transactional_db: None,
    live_server: Any,
    settings: Settings,
    mode: GenerationMode,
    as_member: bool,
) -> None:
    """Anonymous (writes answer 401), then with a member's token: votes and comments are
    made for real. Submitting is left to test_writes.py, which serves arXiv on loopback."""
    settings.API_READS_PER_MINUTE = 0  # hundreds of requests a minute, on purpose
    settings.COMMENTS_PER_MINUTE = settings.COMMENTS_PER_MINUTE_PER_ADDRESS = 1000
    make_feed()
    headers = {"Authorization": f"Bearer {create_token(make_member(), 'fuzz').secret}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation but the document itself, which Schemathesis leaves out.
    assert len(operations) == 16
    for operation in operations:
        if as_member and (operation.method == "get" or operation.path == "/api/papers/submit"):
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,  # the same requests every run: a failure here is reproducible
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: schemathesis.Case) -> None:
            # A connection per request: none left open (with its server thread's database
            # connection) when the test database is dropped.
            sent = {"Connection": "close", **(headers if as_member else {})}
            case.call_and_validate(checks=CHECKS, headers=sent)

        call()

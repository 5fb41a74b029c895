"""The submit page: members only, a labelled field, success to the paper's page with a
message, a refusal shown with its rule; arXiv is a loopback server with a recorded answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings

from dailypapers.papers.models import DailyEntry
from tests.loopback import Loopback

pytestmark = pytest.mark.django_db
# The recorded classic API response holds 2510.14968, first published 2025-10-16.
RECORDED = "query_cat-cs.RO_neural_classic-format_2025-10-17.xml"


@pytest.fixture
def arxiv(loopback: Loopback, settings: Settings, data_dir: Path) -> Loopback:
    settings.ARXIV_API_URL = loopback.url("/api/query")
    settings.INGEST_REQUEST_INTERVAL = 0
    settings.INGEST_MAX_RETRIES = 0
    settings.SUBMIT_MAX_AGE_DAYS = 100_000  # the recording is older than "today"
    loopback.route("/api/query", data_dir / RECORDED, id_list="2510.14968")
    return loopback


@pytest.fixture
def ada() -> User:
    return User.objects.create_user("ada", password="x")


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/submit")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login?next=/submit"


def test_the_form_has_a_labelled_field(client: Client, ada: User) -> None:
    client.force_login(ada)
    page = client.get("/submit").content.decode()
    assert '<label for="id_paper">arXiv id or URL' in page
    assert 'name="paper"' in page and 'name="csrfmiddlewaretoken"' in page


def test_a_submission_goes_to_the_papers_page(arxiv: Loopback, ada: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    token = client.get("/submit").cookies["csrftoken"].value
    response = client.post(
        "/submit", {"paper": "https://arxiv.org/abs/2510.14968v1", "csrfmiddlewaretoken": token}
    )
    assert (response.status_code, response["Location"]) == (302, "/papers/2510.14968")
    entry = DailyEntry.objects.get(paper__arxiv_id="2510.14968")
    assert entry.submitted_by == ada
    page = client.get(response["Location"]).content.decode()
    assert "the paper is in today&#x27;s feed" in page
    assert "submitted by ada" in page


def test_without_the_csrf_token_nothing_is_submitted(arxiv: Loopback, ada: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    assert client.post("/submit", {"paper": "2510.14968"}).status_code == 403
    assert not DailyEntry.objects.exists() and not arxiv.requests


def test_a_refusal_names_its_rule(arxiv: Loopback, ada: User, settings: Settings) -> None:
    settings.SUBMIT_MAX_AGE_DAYS = 3
    client = Client()
    client.force_login(ada)
    response = client.post("/submit", {"paper": "2510.14968"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "papers can be submitted up to 3 days after they appear on arXiv" in page
    assert "<code>too-old</code>" in page
    assert 'value="2510.14968"' in page  # what was typed stays in the field
    assert not DailyEntry.objects.exists()


def test_not_an_id_is_refused_escaped(ada: User) -> None:
    client = Client()
    client.force_login(ada)
    page = client.post("/submit", {"paper": "<script>alert(1)</script>"}).content.decode()
    assert "<code>id</code>" in page and "is not an arXiv id or URL" in page
    assert "<script>alert(1)" not in page


def test_the_profile_lists_submissions(arxiv: Loopback, ada: User) -> None:
    client = Client()
    client.force_login(ada)
    client.post("/submit", {"paper": "2510.14968"})
    page = Client().get("/users/ada").content.decode()
    assert "Submitted papers" in page
    assert "RDD: Retrieval-Based Demonstration Decomposer" in page

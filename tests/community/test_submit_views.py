"""The submit page: members only, a labelled field; it answers at once, a job on the task
engine asks arXiv (a loopback server with a recorded answer), and the page then lists the
paper or the refusal with its rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings

from dailypapers.operations.consumer import drain
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


def test_a_submission_answers_at_once_and_the_job_puts_the_paper_in_the_feed(
    arxiv: Loopback, ada: User
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    token = client.get("/submit").cookies["csrftoken"].value
    response = client.post(
        "/submit", {"paper": "https://arxiv.org/abs/2510.14968v1", "csrfmiddlewaretoken": token}
    )
    assert (response.status_code, response["Location"]) == (302, "/submit")
    assert not arxiv.requests, "the web request must not wait for arXiv"
    waiting = client.get("/submit").content.decode()
    assert "arXiv is being asked about 2510.14968" in waiting
    assert "waiting: arXiv is being asked" in waiting

    assert drain(["submissions"]) == 1
    entry = DailyEntry.objects.get(paper__arxiv_id="2510.14968")
    assert entry.submitted_by == ada
    page = client.get("/submit").content.decode()
    assert 'in the feed: <a href="/papers/2510.14968" data-math>' in page
    assert "submitted by ada" in client.get("/papers/2510.14968").content.decode()


def test_the_same_paper_twice_while_waiting_is_asked_once(arxiv: Loopback, ada: User) -> None:
    client = Client()
    client.force_login(ada)
    client.post("/submit", {"paper": "2510.14968"})
    client.post("/submit", {"paper": "https://arxiv.org/abs/2510.14968"})
    drain(["submissions"])
    assert len(arxiv.requests) == 1
    assert DailyEntry.objects.filter(paper__arxiv_id="2510.14968").count() == 1


def test_without_the_csrf_token_nothing_is_submitted(arxiv: Loopback, ada: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    assert client.post("/submit", {"paper": "2510.14968"}).status_code == 403
    assert not DailyEntry.objects.exists() and not arxiv.requests


def test_a_refusal_names_its_rule(arxiv: Loopback, ada: User, settings: Settings) -> None:
    settings.SUBMIT_MAX_AGE_DAYS = 3
    client = Client()
    client.force_login(ada)
    assert client.post("/submit", {"paper": "2510.14968"}).status_code == 302
    drain(["submissions"])
    page = client.get("/submit").content.decode()
    assert "papers can be submitted up to 3 days after they appear on arXiv" in page
    assert "<code>too-old</code>" in page
    assert not DailyEntry.objects.exists()


def test_arxiv_unreachable_is_a_clear_refusal(
    loopback: Loopback, ada: User, settings: Settings
) -> None:
    settings.ARXIV_API_URL = loopback.url("/api/query")
    settings.INGEST_REQUEST_INTERVAL = 0
    settings.INGEST_MAX_RETRIES = 0
    loopback.route("/api/query", "down", status=503, id_list="2510.14968")
    client = Client()
    client.force_login(ada)
    client.post("/submit", {"paper": "2510.14968"})
    drain(["submissions"])
    page = client.get("/submit").content.decode()
    assert "arXiv could not be reached" in page and "<code>arxiv-unavailable</code>" in page


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
    drain(["submissions"])
    page = Client().get("/users/ada").content.decode()
    assert "Submitted papers" in page
    assert "RDD: Retrieval-Based Demonstration Decomposer" in page

"""The site's own error pages: a paper we do not have says how to get it here, any other
missing page where to go next, an expired form what to do, a server error nothing internal."""

from __future__ import annotations

import html

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from dailypapers.papers.models import Paper
from tests.accounts.factories import make_member
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


def test_a_paper_not_here_links_to_arxiv_and_to_logging_in_to_submit_it(client: Client) -> None:
    response = client.get("/papers/2608.99999")
    page = html.unescape(response.content.decode())
    assert response.status_code == 404
    assert "arXiv:2608.99999 is not here yet" in page
    assert '<a href="https://arxiv.org/abs/2608.99999">See it on arXiv</a>' in page
    assert '/accounts/login?next=/submit%3Fpaper%3D2608.99999">Log in to submit it' in page
    assert 'class="site-header"' in page  # the site's page, not Django's bare one


def test_a_member_gets_the_submit_form_filled_with_the_missing_id(client: Client) -> None:
    client.force_login(make_member())
    page = html.unescape(client.get("/papers/2608.99999").content.decode())
    assert '<a href="/submit?paper=2608.99999">Submit it to today\'s feed</a>' in page
    form = client.get("/submit?paper=2608.99999").content.decode()
    assert 'value="2608.99999"' in form


def test_a_hidden_paper_reads_as_not_here(client: Client) -> None:
    add_paper(arxiv_id="2501.00001", title="Taken down")
    Paper.objects.update(is_hidden=True)
    response = client.get("/papers/2501.00001")
    assert response.status_code == 404
    assert "arXiv:2501.00001 is not here yet" in response.content.decode()
    assert "Taken down" not in response.content.decode()


def test_any_other_missing_page_says_where_to_go(client: Client) -> None:
    response = client.get("/no/such/page")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Nothing is at this address" in page
    assert '<a href="/search">Search every paper</a>' in page


def test_an_expired_form_says_what_to_do() -> None:
    client = Client(enforce_csrf_checks=True)
    add_paper(arxiv_id="2501.00001")
    client.force_login(make_member())
    response = client.post("/papers/2501.00001/vote", {"on": "1"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert "nothing was changed" in response.content.decode()


def test_a_server_error_page_needs_no_context_or_database() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()

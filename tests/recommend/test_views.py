"""The pages: /for-you explains its picks, feedback works as a plain form and through htmx,
"hide seen" applies to the member's feeds only, the private feed answers to its token alone."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dailypapers.community.votes import set_vote
from dailypapers.papers.models import Paper
from dailypapers.recommend import feedback
from tests.papers.factories import listed_titles
from tests.recommend.factories import embedded, engine  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]
DAY = date(2025, 1, 3)


@pytest.fixture
def ada() -> User:
    return User.objects.create_user("ada", password="x")


@pytest.fixture
def client_of(ada: User) -> Client:
    client = Client()
    client.force_login(ada)
    return client


@pytest.fixture
def papers(ada: User) -> dict[str, Paper]:
    seed = embedded("Graph neural networks for small molecules", date(2024, 6, 3))
    set_vote(ada, seed.id, True, lambda: None)
    return {
        "graphs": embedded("Graph neural networks for protein molecules", DAY),
        "attention": embedded("Sparse attention for long documents", DAY),
    }


def test_for_you_asks_anonymous_readers_to_log_in() -> None:
    response = Client().get("/for-you")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login")


def test_for_you_lists_the_picks_with_their_reasons(
    client_of: Client, papers: dict[str, Paper]
) -> None:
    page = client_of.get("/for-you")
    assert listed_titles(page)[:2] == [
        "Graph neural networks for protein molecules",
        "Sparse attention for long documents",
    ]
    text = page.content.decode()
    assert 'Close to <a href="/papers/' in text
    assert "Graph neural networks for small molecules</a> in your upvotes" in text


def test_a_member_without_history_gets_the_short_start(client_of: Client) -> None:
    embedded("Sparse attention for long documents", DAY, categories=("cs.CL",))
    text = client_of.get("/for-you").content.decode()
    assert "Start your feed" in text and "/library/import" in text
    response = client_of.post("/for-you/interests", {"categories": "cs.CL", "authors": ""})
    assert response.status_code == 302
    assert listed_titles(client_of.get("/for-you")) == ["Sparse attention for long documents"]
    refused = client_of.post("/for-you/interests", {"categories": "nonsense!", "authors": ""})
    assert "is not an arXiv category" in client_of.get(refused["Location"]).content.decode()


def test_not_relevant_without_javascript_redirects_back_without_the_paper(
    client_of: Client, papers: dict[str, Paper]
) -> None:
    arxiv_id = papers["graphs"].arxiv_id
    form = {"kind": "not-relevant", "next": "/for-you"}
    response = client_of.post(f"/papers/{arxiv_id}/feedback", form)
    assert response.status_code == 302 and response["Location"] == "/for-you"
    assert "Graph neural networks for protein molecules" not in listed_titles(
        client_of.get("/for-you")
    )


def test_with_htmx_the_card_goes_or_its_buttons_change(
    client_of: Client, papers: dict[str, Paper]
) -> None:
    url = f"/papers/{papers['graphs'].arxiv_id}/feedback"
    seen = client_of.post(url, {"kind": "seen"}, headers={"HX-Request": "true"})
    assert seen.status_code == 200 and 'aria-pressed="true"' in seen.content.decode()
    gone = client_of.post(url, {"kind": "not-relevant"}, headers={"HX-Request": "true"})
    assert gone.status_code == 200 and gone.content == b""


def test_buttons_swapped_in_on_for_you_still_remove_the_whole_pick(
    client_of: Client, papers: dict[str, Paper]
) -> None:
    """After "mark seen" on /for-you, the new buttons' "not relevant" targets the pick (the
    card and the line saying why), as the page's own buttons do; other targets are ignored."""
    page = client_of.get("/for-you").content.decode()
    assert 'name="target" value="closest .pick"' in page
    url = f"/papers/{papers['graphs'].arxiv_id}/feedback"
    headers = {"HX-Request": "true"}
    swapped = client_of.post(url, {"kind": "seen", "target": "closest .pick"}, headers=headers)
    html = swapped.content.decode()
    assert 'hx-target="closest .pick"' in html and 'value="closest .pick"' in html
    odd = client_of.post(url, {"kind": "seen", "on": "0", "target": "body"}, headers=headers)
    html = odd.content.decode()
    assert 'hx-target="closest article"' in html and "body" not in html


def test_feedback_refuses_unknown_kinds_and_anonymous_readers(papers: dict[str, Paper]) -> None:
    url = f"/papers/{papers['graphs'].arxiv_id}/feedback"
    assert Client().post(url, {"kind": "seen"})["Location"].startswith("/accounts/login")
    ada = Client()
    ada.force_login(User.objects.get(username="ada"))
    assert ada.post(url, {"kind": "boring"}).status_code == 400


def test_hide_seen_applies_to_the_day_feed_of_that_member_only(
    ada: User, client_of: Client, papers: dict[str, Paper]
) -> None:
    feedback.mark(ada, papers["attention"].id, "seen")
    assert "Sparse attention for long documents" in listed_titles(client_of.get("/"))
    assert "Hide seen papers" in client_of.get("/").content.decode()
    client_of.post("/for-you/hide-seen", {"hide": "1", "next": "/"})
    assert "Sparse attention for long documents" not in listed_titles(client_of.get("/"))
    assert "Show seen papers" in client_of.get("/").content.decode()
    anonymous = Client().get("/")
    assert "Sparse attention for long documents" in listed_titles(anonymous)
    assert "Hide seen" not in anonymous.content.decode()
    grace = Client()
    grace.force_login(User.objects.create_user("grace"))
    assert "Sparse attention for long documents" in listed_titles(grace.get("/"))


def test_a_member_page_reads_the_hide_seen_choice_once(
    ada: User, client_of: Client, papers: dict[str, Paper]
) -> None:
    """The listing, the switch and every card's buttons all need it: one query, not three."""
    client_of.post("/for-you/hide-seen", {"hide": "1", "next": "/"})
    with CaptureQueriesContext(connection) as captured:
        page = client_of.get("/")
    assert "Show seen papers" in page.content.decode()
    asked = [q["sql"] for q in captured.captured_queries if "readerchoices" in q["sql"].lower()]
    assert len(asked) == 1, asked


def test_the_private_feed_answers_to_its_token_until_revoked(
    ada: User, client_of: Client, papers: dict[str, Paper]
) -> None:
    client_of.post("/for-you/feed-token")
    page = client_of.get("/for-you").content.decode()
    url = re.search(r'href="(/for-you/feed/[^"]+\.rss)"', page)
    assert url is not None
    rss = Client().get(url[1])
    assert rss.status_code == 200 and "private" in rss["Cache-Control"]
    body = rss.content.decode()
    assert "Graph neural networks for protein molecules" in body and "in your upvotes" in body
    assert Client().get(url[1].replace(".rss", ".atom")).status_code == 200
    client_of.post("/for-you/feed-token", {"revoke": "1"})
    assert Client().get(url[1]).status_code == 404
    assert Client().get("/for-you/feed/not-a-token-at-all-0000000.rss").status_code == 404


def test_more_like_a_collection_is_the_owners_only(client_of: Client, ada: User) -> None:
    from dailypapers.community.collections import add_paper, create_collection

    space = create_collection(ada, "Space")
    add_paper(ada, space.pk, embedded("Dwarf galaxies and dark matter", date(2024, 6, 3)).id)
    embedded("Dwarf galaxies in the local group", DAY)
    assert listed_titles(client_of.get(f"/for-you/collections/{space.pk}")) == [
        "Dwarf galaxies in the local group"
    ]
    grace = Client()
    grace.force_login(User.objects.create_user("grace"))
    assert grace.get(f"/for-you/collections/{space.pk}").status_code == 404


@pytest.mark.parametrize("back", ["²", "https://elsewhere.example/", "//elsewhere.example/x", ""])
def test_a_form_sent_with_an_odd_or_foreign_return_address_comes_back_to_for_you(
    client_of: Client, papers: dict[str, Paper], back: str
) -> None:
    hide = client_of.post("/for-you/hide-seen", {"hide": "1", "next": back})
    assert hide.status_code == 302 and hide["Location"] == "/for-you"
    url = f"/papers/{papers['graphs'].arxiv_id}/feedback"
    seen = client_of.post(url, {"kind": "seen", "next": back})
    assert seen.status_code == 302 and seen["Location"] == "/for-you"

"""Moderation: what staff hide leaves every listing, search, page and count, and comes back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from dailypapers.community import comments, moderation, votes
from dailypapers.papers import feeds, period_listings
from dailypapers.papers.models import Paper
from dailypapers.papers.moderation import set_papers_hidden
from dailypapers.search.embeddings import NullEmbedder
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.hybrid import search_papers
from dailypapers.search.indexer import update_index
from dailypapers.search.similar import similar_papers
from tests.accounts.factories import PASSWORD, make_member
from tests.papers.factories import add_paper, listed_titles

pytestmark = pytest.mark.django_db

DAY = date(2025, 1, 3)


@pytest.fixture
def staff(client: Client) -> Client:
    admin = User.objects.create_superuser("staff", "staff@example.org", PASSWORD)
    client.force_login(admin)
    return client


@pytest.fixture
def engine(tmp_path: Path, settings: Settings) -> Iterator[SearchEngine]:
    """Call after adding papers: it indexes the papers there are (lexical only)."""
    settings.SEARCH_INDEX_DIR = str(tmp_path)
    built = SearchEngine(tmp_path, NullEmbedder("off in this test"))
    yield built
    reset_engine(None)


def index(engine: SearchEngine) -> None:
    update_index(engine.embedder, engine.lexical)
    reset_engine(engine)


def admin_action(client: Client, model: str, action: str, ids: list[int]) -> None:
    response = client.post(
        f"/admin/{model}/", {"action": action, "_selected_action": [str(pk) for pk in ids]}
    )
    assert response.status_code == 302, response.content[:500]


def two_papers() -> tuple[Paper, Paper]:
    shown = add_paper(DAY, title="Shown graph paper", categories=("cs.CL",))
    hidden = add_paper(DAY, title="Hidden graph paper", categories=("cs.CL", "hep-th"))
    return shown, hidden


def test_hidden_paper_leaves_the_feeds(staff: Client) -> None:
    shown, hidden = two_papers()
    admin_action(staff, "papers/paper", "hide", [hidden.pk])

    for url in ("/", "/date/2025-01-03", "/week/2025-W01", "/month/2025-01"):
        assert listed_titles(staff.get(url)) == ["Shown graph paper"], url
    author = listed_titles(staff.get("/authors/Ada Lovelace"))
    assert author == ["Shown graph paper"]
    period = feeds.period_containing("day", DAY)
    assert period_listings.period_feed(period, "", 1).page.paginator.count == 1
    names = {item.name: item.count for item in feeds.categories_between(DAY, DAY)}
    assert names == {"cs.CL": 1}


def test_hidden_paper_leaves_trending(staff: Client, settings: Settings) -> None:
    shown, hidden = two_papers()
    window = feeds.TrendingWindow(DAY, DAY, datetime(2025, 1, 4, tzinfo=UTC))
    assert set(feeds.trending_ids(window)) == {shown.pk, hidden.pk}
    set_papers_hidden([hidden.pk], True)
    assert feeds.trending_ids(window) == [shown.pk]


def test_a_day_of_hidden_papers_only_is_skipped() -> None:
    add_paper(date(2025, 1, 2), title="Older")
    newest = add_paper(DAY, title="Newest")
    set_papers_hidden([newest.pk], True)
    assert feeds.latest_day() == date(2025, 1, 2)


def test_hidden_paper_page_is_not_found_and_comes_back(staff: Client) -> None:
    _, hidden = two_papers()
    admin_action(staff, "papers/paper", "hide", [hidden.pk])
    assert staff.get(f"/papers/{hidden.arxiv_id}").status_code == 404
    assert staff.get(f"/papers/{hidden.arxiv_id}.bib").status_code == 404

    admin_action(staff, "papers/paper", "unhide", [hidden.pk])
    assert staff.get(f"/papers/{hidden.arxiv_id}").status_code == 200
    assert "Hidden graph paper" in listed_titles(staff.get("/"))


def test_category_counts_follow_hiding_despite_the_cache() -> None:
    _, hidden = two_papers()
    assert {c.name for c in feeds.categories_between(DAY, DAY)} == {"cs.CL", "hep-th"}
    set_papers_hidden([hidden.pk], True)
    assert {c.name for c in feeds.categories_between(DAY, DAY)} == {"cs.CL"}
    set_papers_hidden([hidden.pk], False)
    assert {c.name for c in feeds.categories_between(DAY, DAY)} == {"cs.CL", "hep-th"}


def test_hidden_paper_leaves_search(engine: SearchEngine, client: Client) -> None:
    shown, hidden = two_papers()
    index(engine)
    assert len(search_papers("graph paper").hits) == 2
    set_papers_hidden([hidden.pk], True)

    results = search_papers("graph paper")
    assert [hit.paper.pk for hit in results.hits] == [shown.pk]
    assert results.total == 1
    assert search_papers(hidden.arxiv_id).hits == []
    page = client.get("/search", {"q": "graph paper"}).content.decode()
    assert shown.arxiv_id in page and hidden.arxiv_id not in page


def test_hidden_paper_leaves_similar_papers(engine: SearchEngine) -> None:
    shown, hidden = two_papers()
    index(engine)
    assert [paper.pk for paper in similar_papers(shown, engine=engine)] == [hidden.pk]
    set_papers_hidden([hidden.pk], True)
    assert similar_papers(shown, engine=engine) == []


def test_hidden_paper_leaves_a_members_upvotes(client: Client) -> None:
    shown, hidden = two_papers()
    member = make_member("ada")
    votes.set_vote(member, shown.pk, True)
    votes.set_vote(member, hidden.pk, True)
    set_papers_hidden([hidden.pk], True)
    assert listed_titles(client.get("/users/ada")) == ["Shown graph paper"]


def test_hidden_comment_leaves_thread_and_count(staff: Client) -> None:
    paper = add_paper(DAY)
    member = make_member("ada")
    kept = comments.post_comment(member, paper.pk, "Nice result.")
    rude = comments.post_comment(member, paper.pk, "Something rude.")
    admin_action(staff, "community/comment", "hide", [rude.pk])

    assert [t.comment.pk for t in comments.threads(paper.pk)] == [kept.pk]
    paper.refresh_from_db()
    assert paper.local_comments == 1 == comments.visible_count(paper.pk)
    assert "Something rude." not in staff.get(f"/papers/{paper.arxiv_id}").content.decode()

    admin_action(staff, "community/comment", "unhide", [rude.pk])
    paper.refresh_from_db()
    assert paper.local_comments == 2


@pytest.mark.parametrize("model", ["auth/user", "accounts/profile"])
def test_hidden_member_loses_comments_votes_and_login(staff: Client, model: str) -> None:
    paper = add_paper(DAY)
    troll, other = make_member("troll"), make_member("grace")
    for member in (troll, other):
        votes.set_vote(member, paper.pk, True)
    comments.post_comment(troll, paper.pk, "Spam spam spam.")
    comments.post_comment(other, paper.pk, "A fair point.")
    ids = [troll.pk] if model == "auth/user" else [troll.profile.pk]

    admin_action(staff, model, "hide", ids)
    paper.refresh_from_db()
    assert (paper.local_upvotes, paper.local_comments) == (1, 1)
    assert [t.comment.body for t in comments.threads(paper.pk)] == ["A fair point."]
    assert not Client().login(username="troll", password=PASSWORD)
    assert staff.get("/users/troll").status_code == 404
    # A vote cast meanwhile by someone else is counted on top, not lost.
    votes.set_vote(make_member("alan"), paper.pk, True)

    admin_action(staff, model, "unhide", ids)
    paper.refresh_from_db()
    assert (paper.local_upvotes, paper.local_comments) == (3, 2)
    assert Client().login(username="troll", password=PASSWORD)


def test_hidden_members_open_session_stops_working() -> None:
    troll = make_member("troll")
    browser = Client()
    browser.force_login(troll)
    moderation.set_members_hidden([troll.pk], True)
    page = browser.get("/").content.decode()
    assert "Log in" in page


def test_staff_can_hide_an_account_an_operator_made() -> None:
    operator_made = User.objects.create_user("bot", "bot@example.org", PASSWORD)
    moderation.set_members_hidden([operator_made.pk], True)
    operator_made.refresh_from_db()
    assert operator_made.profile.is_hidden and not operator_made.is_active


def test_hiding_is_recorded_as_a_change() -> None:
    paper = add_paper(DAY)
    before = timezone.now() - timedelta(seconds=1)
    assert set_papers_hidden([paper.pk], True) == 1
    assert set_papers_hidden([paper.pk], True) == 0  # already hidden
    paper.refresh_from_db()
    assert paper.is_hidden and paper.modified_at > before

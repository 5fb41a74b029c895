"""The personal feed: ranked from what the member collected and upvoted, explained, kept in
the score table and caught up when signals or papers change; feedback takes papers out."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from dailypapers.community.collections import add_paper as collect
from dailypapers.community.collections import create_collection
from dailypapers.community.votes import set_vote
from dailypapers.papers.models import Paper
from dailypapers.recommend import feed, feedback, profiles, scoring, terms, vocabulary
from dailypapers.recommend.models import ScoredPaper
from tests.recommend.factories import embedded, engine  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]
OLD, DAY = date(2024, 11, 4), date(2025, 1, 3)


@pytest.fixture
def ada() -> User:
    return User.objects.create_user("ada")


@pytest.fixture
def week() -> dict[str, Paper]:
    return {
        "graphs": embedded("Graph neural networks for protein molecules", DAY),
        "attention": embedded("Sparse attention for long documents", DAY),
        "quantum": embedded("Quantum error correction with surface codes", DAY),
        "galaxies": embedded("Dwarf galaxies in the local group", date(2025, 1, 1)),
    }


def titles(picks: list[feed.Pick]) -> list[str]:
    return [pick.paper.title for pick in picks]


def ranked(user: User, days: int = 7) -> list[feed.Pick]:
    span = feed.window()
    assert span is not None
    feed.catch_up(user, span)
    return feed.picks(user, span, days, 30)


def test_a_collected_paper_brings_its_neighbours_first_and_says_why(
    ada: User, week: dict[str, Paper]
) -> None:
    seed = embedded("Graph neural networks for small molecules", OLD)
    chemistry = create_collection(ada, "Chemistry")
    collect(ada, chemistry.pk, seed.id)
    picks = ranked(ada)
    assert titles(picks)[0] == "Graph neural networks for protein molecules"
    assert picks[0].because == seed
    assert picks[0].why == (
        "Close to “Graph neural networks for small molecules” in your collection Chemistry"
    )
    assert seed.title not in titles(picks)  # already theirs: never recommended back
    assert "Dwarf galaxies in the local group" in titles(picks)  # the week, not only the day
    assert "Dwarf galaxies in the local group" not in titles(ranked(ada, days=1))


def test_upvotes_are_signals_too(ada: User, week: dict[str, Paper]) -> None:
    set_vote(ada, embedded("Quantum codes beyond the surface", OLD).id, True, lambda: None)
    picks = ranked(ada)
    assert titles(picks)[0] == "Quantum error correction with surface codes"
    assert picks[0].reason == "your upvotes"


def test_not_relevant_takes_a_paper_out_and_pushes_its_likes_down(
    ada: User, week: dict[str, Paper]
) -> None:
    seed = embedded("Graph neural networks for small molecules", OLD)
    collect(ada, create_collection(ada, "Chemistry").pk, seed.id)
    near = embedded("Graph neural networks for protein folding", DAY)
    before = {pick.paper.id: pick.score for pick in ranked(ada)}
    feedback.mark(ada, week["graphs"].id, "not-relevant")
    after = {pick.paper.id: pick.score for pick in ranked(ada)}
    assert week["graphs"].id in before and week["graphs"].id not in after
    assert after[near.id] < before[near.id]
    feedback.mark(ada, week["graphs"].id, "not-relevant", on=False)
    assert week["graphs"].id in {pick.paper.id for pick in ranked(ada)}


def test_seen_papers_stay_until_the_member_hides_seen(ada: User, week: dict[str, Paper]) -> None:
    set_vote(ada, embedded("Sparse attention for long contexts", OLD).id, True, lambda: None)
    feedback.mark(ada, week["attention"].id, "seen")
    assert week["attention"].title in titles(ranked(ada))
    feedback.set_hide_seen(ada, True)
    assert week["attention"].title not in titles(ranked(ada))
    assert feedback.hidden_ids(ada, [week["attention"].id, week["quantum"].id]) == {
        week["attention"].id
    }


def test_scores_are_kept_and_only_new_papers_are_scored_later(
    ada: User, week: dict[str, Paper]
) -> None:
    set_vote(ada, embedded("Graph neural networks for small molecules", OLD).id, True, lambda: None)
    span = feed.window()
    assert span is not None
    assert feed.catch_up(ada, span) == 4
    assert feed.catch_up(ada, span) == 0  # nothing changed: the table is read as it is
    late = embedded("Graph neural networks for small molecules and crystals", DAY)
    assert feed.catch_up(ada, span) == 1
    assert titles(feed.picks(ada, span, 7, 30))[0] == late.title
    assert ScoredPaper.objects.filter(user=ada).count() == 5


@pytest.fixture
def kept(ada: User, week: dict[str, Paper]) -> feed.Window:
    """The window, its 4 papers scored and kept for ada, who upvoted one older paper."""
    set_vote(ada, embedded("Graph neural networks for small molecules", OLD).id, True, lambda: None)
    span = feed.window()
    assert span is not None
    vocabulary.count_new_papers()
    assert feed.catch_up(ada, span) == 4
    return span


def test_a_new_ranking_scores_every_kept_paper_again(
    ada: User, kept: feed.Window, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "RANKING_VERSION", scoring.RANKING_VERSION + 1)
    assert feed.catch_up(ada, kept) == 4, "kept scores of the old ranking are not reused"


def test_term_counts_of_another_cut_score_every_kept_paper_again(
    ada: User, kept: feed.Window, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(terms, "VERSION", terms.VERSION + 1)
    assert feed.catch_up(ada, kept) == 0, "the stored counts are still of the old cut"
    vocabulary.count_new_papers()  # an upgrade's first catch-up counts every paper again
    assert feed.catch_up(ada, kept) == 4, "kept scores of the old counts are not reused"


def test_scores_ranked_during_a_recount_are_computed_again_once_it_has_caught_up(
    ada: User, kept: feed.Window, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(terms, "VERSION", terms.VERSION + 1)
    monkeypatch.setattr(vocabulary, "SAVE_EVERY", 1)
    monkeypatch.setattr(vocabulary, "COUNT_BATCH", 1)
    assert vocabulary._count_some() == 1  # the recount's first transaction: one paper counted
    assert feed.catch_up(ada, kept) == 4  # ranked against the counts of one paper
    assert feed.catch_up(ada, kept) == 0
    assert vocabulary.count_new_papers() == Paper.objects.count() - 1
    assert feed.catch_up(ada, kept) == 4, "scores of a recount's first counts are kept"
    assert feed.catch_up(ada, kept) == 0


def test_a_member_without_history_has_an_empty_profile_until_they_pick(
    ada: User, week: dict[str, Paper]
) -> None:
    assert profiles.profile_of(ada).is_empty and ranked(ada) == []
    embedded("Surface codes at scale", OLD, authors=["Grace Hopper"])
    profiles.set_interests(ada, "astro-ph.GA", "Grace Hopper")
    picks = ranked(ada)
    assert titles(picks)[0] == "Quantum error correction with surface codes"
    assert picks[0].reason == "papers by Grace Hopper, an author you follow"


def test_categories_alone_rank_that_category(ada: User) -> None:
    embedded("Dwarf galaxies in the local group", DAY, categories=("astro-ph.GA",))
    embedded("Sparse attention for long documents", DAY, categories=("cs.CL",))
    profiles.set_interests(ada, "astro-ph.GA", "")
    picks = ranked(ada)
    assert titles(picks) == ["Dwarf galaxies in the local group"]
    assert picks[0].why == "New in astro-ph.GA, a category you follow"


def test_more_like_a_collection_ranks_by_that_collection_only(
    ada: User, week: dict[str, Paper]
) -> None:
    space = create_collection(ada, "Space")
    collect(ada, space.pk, embedded("Dwarf galaxies and dark matter", OLD).id)
    set_vote(ada, embedded("Quantum codes beyond the surface", OLD).id, True, lambda: None)
    span = feed.window()
    assert span is not None
    picks = feed.more_like_collection(space, span, 2)
    assert titles(picks)[0] == "Dwarf galaxies in the local group"
    assert picks[0].reason == "your collection Space"


def test_the_background_job_scores_arrivals_for_active_members_once(
    ada: User, week: dict[str, Paper]
) -> None:
    from dailypapers.recommend.tasks import score_new_papers

    set_vote(ada, embedded("Graph neural networks for small molecules", OLD).id, True, lambda: None)
    # never opened /for-you; the terms of the 5 papers are counted
    assert score_new_papers() == "5 papers' terms counted; 0 scores for 0 members"
    ranked(ada)
    embedded("Graph neural networks for small molecules and crystals", DAY)
    assert score_new_papers() == "1 papers' terms counted; 1 scores for 1 members"
    assert score_new_papers() == "0 papers' terms counted; 0 scores for 1 members"


def test_members_after_the_first_reuse_the_windows_papers_read_once(
    ada: User, week: dict[str, Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dailypapers.recommend import scoring

    inverted = []
    invert = scoring.invert
    monkeypatch.setattr(
        scoring, "invert", lambda terms: inverted.append(len(terms)) or invert(terms)
    )
    bob = User.objects.create_user("bob")
    collect(ada, create_collection(ada, "Chemistry").pk, embedded("Graph molecules", OLD).id)
    collect(bob, create_collection(bob, "Codes").pk, embedded("Surface codes", OLD).id)
    assert titles(ranked(ada))[0] == "Graph neural networks for protein molecules"
    assert titles(ranked(bob))[0] == "Quantum error correction with surface codes"
    assert inverted == [4]  # the window's four papers, once for both members
    embedded("Surface codes on graphs", DAY)  # a new paper: the window is read again
    assert "Surface codes on graphs" in titles(ranked(bob))
    assert inverted == [4, 5]


def test_stored_vectors_are_read_by_paper_not_by_walking_every_document_of_the_model() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A dozen: with more than a few ids, SQLite's planner preferred the model's index.
    papers = [embedded(f"Paper number {n}", DAY) for n in range(12)]
    with CaptureQueriesContext(connection) as queries:
        found = profiles.vectors_of([paper.id for paper in papers])
    assert set(found) == {paper.id for paper in papers}
    (sql,) = [q["sql"] for q in queries.captured_queries if "search_searchdocument" in q["sql"]]
    if connection.vendor == "sqlite":  # PostgreSQL plans by its statistics
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "search_doc_catch_up" not in plan, plan

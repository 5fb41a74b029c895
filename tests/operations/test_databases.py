"""Moving an instance to another database, and backing it up: the SQLite pass copies into a
real PostgreSQL the test starts, the PostgreSQL pass into a SQLite file; either way members,
votes, comments and collections arrive with their ids, and the feed's derived tables are
rebuilt by the target's triggers."""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, connections

from dailypapers.community.collections import add_paper as collect
from dailypapers.community.collections import create_collection
from dailypapers.community.comments import post_comment
from dailypapers.community.models import Comment, Vote
from dailypapers.community.votes import set_vote
from dailypapers.operations import databases
from dailypapers.papers import feeds
from dailypapers.papers.models import DayCount, EntryCategory, Paper
from dailypapers.search.models import SearchDocument
from tests.accounts.factories import PASSWORD, make_member
from tests.papers.factories import add_paper


def close_target() -> None:
    with contextlib.suppress(Exception):  # the test failed before the copy opened it
        connections[databases.TARGET].close()


@pytest.fixture
def target_url() -> Iterator[str]:
    """An empty database of the other kind than the one the suite runs on."""
    if connection.vendor == "sqlite":
        from tests.pgserver import start_postgres

        server = start_postgres()
        try:
            yield server.url
        finally:
            close_target()
            server.stop()
    else:
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{directory}/copy.sqlite3"
            close_target()


def make_instance() -> tuple[User, list[Paper]]:
    papers = [
        add_paper(day=date(2025, 1, 3 + n % 3), categories=("cs.CL", "cs.LG")) for n in range(9)
    ]
    ada = make_member("ada")
    grace = make_member("grace")
    for paper in papers[:4]:
        set_vote(ada, paper.id, True)
    set_vote(grace, papers[0].id, True)
    post_comment(ada, papers[0].id, "Clear and *useful*.")
    shelf = create_collection(grace, "To read")
    collect(grace, shelf.id, papers[2].id)
    return ada, papers


@pytest.mark.django_db(transaction=True)
def test_copy_moves_members_votes_comments_and_rebuilds_the_feeds_counts(
    target_url: str,
) -> None:
    ada, papers = make_instance()
    out = StringIO()
    call_command("database", "copy", "--to", target_url, "--no-progress", stdout=out)
    assert "9 papers, 2 members, 5 votes, 1 comments" in out.getvalue()

    target = databases.TARGET
    assert Paper.objects.using(target).count() == 9
    assert list(
        Vote.objects.using(target).values_list("user_id", "paper_id").order_by("id")
    ) == list(Vote.objects.values_list("user_id", "paper_id").order_by("id"))
    assert Comment.objects.using(target).get().body_html == Comment.objects.get().body_html
    moved = Paper.objects.using(target).get(pk=papers[0].pk)
    assert (moved.local_upvotes, moved.local_comments) == (2, 1)
    # Derived tables were not copied but rebuilt there by the triggers.
    assert DayCount.objects.using(target).filter(entries__gt=0).count() == 3
    assert EntryCategory.objects.using(target).count() == 18
    # The member's password works against the new database; new rows get fresh ids.
    user = User.objects.using(target).get(username="ada")
    assert user.check_password(PASSWORD)
    newest = User.objects.db_manager(target).create_user("linus", password="x")
    assert newest.pk > ada.pk


@pytest.mark.django_db(transaction=True)
def test_copy_refuses_a_target_that_already_holds_an_instance(target_url: str) -> None:
    make_instance()
    call_command("database", "copy", "--to", target_url, "--no-progress", stdout=StringIO())
    with pytest.raises(Exception, match="already holds papers or members"):
        call_command("database", "copy", "--to", target_url, "--no-progress", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_what_was_deleted_after_it(tmp_path: Path) -> None:
    _, papers = make_instance()
    backup = tmp_path / "dailypapers.backup"
    call_command("database", "backup", str(backup), stdout=StringIO())
    assert backup.stat().st_size > 0
    Paper.objects.filter(pk=papers[0].pk).delete()
    call_command("database", "restore", str(backup), stdout=StringIO())
    connection.close()
    assert Paper.objects.filter(pk=papers[0].pk).exists()
    assert Vote.objects.count() == 5
    assert feeds.latest_day() == date(2025, 1, 5)
    assert authenticate(username="ada", password=PASSWORD) is not None


@pytest.mark.django_db(transaction=True)
def test_copy_to_postgresql_fills_the_pgvector_column_from_the_stored_vectors(
    target_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("copies into PostgreSQL from the SQLite pass")
    monkeypatch.setattr(databases, "BATCH", 2)  # several batches
    papers = [add_paper() for _ in range(5)]
    vectors = {paper.pk: np.arange(384, dtype=np.float32) / (paper.pk + 1) for paper in papers}
    for pk, vector in vectors.items():
        SearchDocument.objects.create(
            paper_id=pk, content_hash="x", model_id="m", vector=vector.tobytes()
        )
    call_command("database", "copy", "--to", target_url, "--no-progress", stdout=StringIO())
    with connections[databases.TARGET].cursor() as cursor:
        cursor.execute("SELECT paper_id, embedding::text FROM search_searchdocument")
        filled = dict(cursor.fetchall())
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'search_searchdocument'")
        indexes = " ".join(row[0] for row in cursor.fetchall())
    assert "USING hnsw (embedding" in indexes, "the vector index was not built again"
    assert set(filled) == set(vectors)
    for pk, text in filled.items():
        assert np.allclose(np.array(json.loads(text), dtype=np.float32), vectors[pk], rtol=1e-6)

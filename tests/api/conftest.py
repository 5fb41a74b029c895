"""The API tests' feed: a few papers on three days of June 2026 (weeks 22 and 24), one
hidden, with upvotes, links and submitters set as ingest sets them; members with tokens."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from pytest_django import Settings

from dailypapers.api.tokens import create_token
from dailypapers.papers.models import Paper
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.indexer import update_index
from tests.accounts.factories import make_member
from tests.papers.factories import add_paper
from tests.search.doubles import WordHashEmbedder

WEDNESDAY, FRIDAY, MAY = date(2026, 6, 10), date(2026, 6, 12), date(2026, 5, 29)


@dataclass
class Feed:
    """The papers by role: `by_id[...]` for any of them."""

    graph: Paper  # 10 June, 5 upvotes, code and project page, submitted by akhaliq
    small: Paper  # 10 June, 1 upvote
    top: Paper  # 12 June, 10 upvotes, cs.CV
    quiet: Paper  # 12 June, 3 upvotes, submitted by akhaliq
    hidden: Paper  # 12 June, 100 upvotes, hidden by staff
    may: Paper  # 29 May, 2 upvotes

    @property
    def by_id(self) -> dict[str, Paper]:
        return {paper.arxiv_id: paper for paper in vars(self).values()}


def _published(day: int, hour: int = 20) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=UTC)


def make_feed() -> Feed:
    feed = Feed(
        graph=add_paper(
            WEDNESDAY,
            arxiv_id="2606.01001",
            title="Graph transformers for protein folding",
            abstract="We fold proteins with graph transformers and attention over residues.",
            authors=["Rosalind Franklin", "Linus Pauling"],
            categories=("cs.LG", "q-bio.BM"),
            upvotes=5,
            published=_published(8),
            submitted_at=datetime(2026, 6, 10, 9, 30, tzinfo=UTC),
            feed_submitter="akhaliq",
            github_repo="https://github.com/example/graphfold",
            github_stars=42,
            project_page="https://example.org/graphfold",
        ),
        small=add_paper(
            WEDNESDAY,
            arxiv_id="2606.01002",
            title="A small note on tokenizers",
            abstract="Tokenizers split words into pieces; we count them.",
            upvotes=1,
            published=_published(9),
        ),
        top=add_paper(
            FRIDAY,
            arxiv_id="2606.01003",
            title="Diffusion models for image synthesis at scale",
            abstract="We train diffusion models that synthesise images from text prompts.",
            categories=("cs.CV",),
            upvotes=10,
            published=_published(10),
        ),
        quiet=add_paper(
            FRIDAY,
            arxiv_id="2606.01004",
            title="Reinforcement learning from human feedback, revisited",
            abstract="Reward models trained on preferences guide language model policies.",
            upvotes=3,
            published=_published(11),
            feed_submitter="akhaliq",
        ),
        hidden=add_paper(
            FRIDAY,
            arxiv_id="2606.01005",
            title="Spam about diffusion models",
            upvotes=100,
            published=_published(11, 21),
        ),
        may=add_paper(
            MAY,
            arxiv_id="2605.01006",
            title="Speech recognition for low-resource languages",
            abstract="We transcribe speech in languages with little labelled audio.",
            upvotes=2,
            published=datetime(2026, 5, 27, tzinfo=UTC),
        ),
    )
    Paper.objects.filter(pk=feed.hidden.pk).update(is_hidden=True)
    return feed


@pytest.fixture
def feed(db: None) -> Feed:
    return make_feed()


@pytest.fixture
def searchable(tmp_path: Path) -> Iterator[None]:
    """Every paper so far in a search index served by hybrid search (word-hash vectors)."""
    embedder = WordHashEmbedder()
    engine = SearchEngine(tmp_path / "search", embedder)
    update_index(embedder, engine.lexical)
    reset_engine(engine)
    yield
    reset_engine(None)


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    """Members here never log in by password often enough to need Argon2's cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(db: None) -> User:
    return make_member("grace")


@pytest.fixture
def token(member: User) -> str:
    return create_token(member, "test script").secret

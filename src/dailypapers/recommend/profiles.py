"""What a member's feed is ranked from: their seed papers (upvoted, collected, imported into a
collection, written by an author they picked), each with the reason a card will give, and the
papers they marked "not relevant"; and the stored vectors of any papers (docs/recommend.md)."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Max

from dailypapers.community.models import CollectionItem, Vote
from dailypapers.papers.models import Paper, PaperAuthor
from dailypapers.recommend import scoring, vocabulary
from dailypapers.recommend.models import Feedback, ReaderChoices, TermStatistics
from dailypapers.search import engine as engine_module
from dailypapers.search.embeddings import MODEL_ID
from dailypapers.search.engine import DIMENSION
from dailypapers.search.models import SearchDocument, stored_vectors

AUTHOR_PAPERS = 20  # of each picked author, their newest papers seed the feed


@dataclass
class Profile:
    """Seed papers in order, each with its reason ("your collection Reading list")."""

    seeds: dict[int, str] = field(default_factory=dict)
    negatives: list[int] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.seeds and not self.categories


def choices_of(user: User) -> ReaderChoices:
    choices, _ = ReaderChoices.objects.get_or_create(user=user)
    return choices


def profile_of(user: User) -> Profile:
    """The member's signals, newest first, at most FOR_YOU_MAX_SEEDS seeds."""
    profile = Profile()
    limit = settings.FOR_YOU_MAX_SEEDS
    votes = Vote.objects.filter(user=user).order_by("-id").values_list("paper_id", flat=True)
    items = CollectionItem.objects.filter(collection__owner=user).order_by("-id")
    for pk in votes[:limit]:
        profile.seeds.setdefault(pk, "your upvotes")
    for pk, name in items.values_list("paper_id", "collection__name")[:limit]:
        profile.seeds.setdefault(pk, f"your collection {name}")
    choices = ReaderChoices.objects.filter(user=user).first()
    if choices is not None:
        profile.categories = choices.category_list
        for author in choices.author_list:
            written = PaperAuthor.objects.filter(name=author).order_by("-paper_id")
            for pk in written.values_list("paper_id", flat=True)[:AUTHOR_PAPERS]:
                profile.seeds.setdefault(pk, f"papers by {author}, an author you follow")
    profile.seeds = dict(list(profile.seeds.items())[:limit])
    not_relevant = Feedback.objects.filter(user=user, kind=Feedback.Kind.NOT_RELEVANT)
    profile.negatives = list(not_relevant.values_list("paper_id", flat=True)[:limit])
    return profile


def signature(user: User) -> str:
    """Changes whenever the signals do (a few indexed counts, no papers read) or the ranking
    itself does (scoring.RANKING_VERSION, or term counts counted again from the first paper:
    once when that starts and once when it has caught up), so kept scores are computed again."""
    parts = [
        scoring.RANKING_VERSION,
        TermStatistics.objects.values_list("terms_version", "recounting").first(),
        Vote.objects.filter(user=user).aggregate(n=Count("id"), last=Max("id")),
        CollectionItem.objects.filter(collection__owner=user).aggregate(
            n=Count("id"), last=Max("id")
        ),
        Feedback.objects.filter(user=user, kind=Feedback.Kind.NOT_RELEVANT).aggregate(
            n=Count("id"), last=Max("id")
        ),
        ReaderChoices.objects.filter(user=user).values("categories", "authors").first(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def model_id() -> str:
    """The embedding model whose stored vectors the feed compares: the engine's when this
    process has one, else the configured model's (no need to load it just to name it)."""
    if engine_module._engine is not None:
        return engine_module._engine.embedder.model_id
    return "null" if settings.SEARCH_EMBEDDER == "null" else MODEL_ID


def vectors_of(paper_ids: list[int]) -> dict[int, np.ndarray]:
    """The stored vectors of these papers (those embedded so far), read in bulk."""
    stored = stored_vectors(paper_ids, model_id())
    return {pk: vector for pk, (_, vector) in stored.items() if vector.shape == (DIMENSION,)}


@dataclass
class Found:
    """The papers that could be read for the ranking (those with a stored vector): each id's
    row in `papers`."""

    rows: dict[int, int]
    papers: scoring.Papers

    def take(self, ids: list[int]) -> scoring.Papers:
        return self.papers.take([self.rows[pk] for pk in ids])


def papers_of(paper_ids: list[int]) -> Found:
    """What the ranking reads of these papers: stored vectors and weighted terms of the title,
    abstract and comment (recommend/vocabulary.py), for those embedded so far."""
    vectors = vectors_of(list(dict.fromkeys(paper_ids)))
    ids = list(vectors)
    texts = {
        row[0]: row
        for chunk in range(0, len(ids), 2000)
        for row in Paper.objects.filter(id__in=ids[chunk : chunk + 2000]).values_list(
            "id", *vocabulary.TEXT_FIELDS
        )
    }
    ids = [pk for pk in ids if pk in texts]
    matrix = np.stack([vectors[pk] for pk in ids]) if ids else np.zeros((0, DIMENSION), np.float32)
    papers = scoring.Papers(matrix, vocabulary.term_rows([texts[pk] for pk in ids]))
    return Found({pk: row for row, pk in enumerate(ids)}, papers)


def set_interests(user: User, categories: str, authors: str) -> None:
    """What the short start picked: space-separated categories, one author a line."""
    choices = choices_of(user)
    choices.categories, choices.authors = categories, authors
    choices.save(update_fields=["categories", "authors"])


# The last feed window this process read for the ranking, inverted once: every member's
# scoring (and "more like this") compares their seeds with the same papers.
_window: tuple[object, Found] | None = None
_window_lock = threading.Lock()


def window_papers(paper_ids: list[int]) -> Found:
    """papers_of(paper_ids) for the feed window's papers, kept while they, their vectors and
    the term counts are unchanged, their terms inverted once (recommend/scoring.py)."""
    global _window
    documents = SearchDocument.objects.filter(model_id=model_id())
    stats = vocabulary.statistics()
    key = (
        hashlib.sha256(np.asarray(paper_ids, dtype=np.int64).tobytes()).hexdigest(),
        documents.aggregate(at=Max("indexed_at"))["at"],
        stats.marker,
    )
    with _window_lock:
        if _window is not None and _window[0] == key:
            return _window[1]
    found = papers_of(paper_ids)
    found.papers.inverted()
    with _window_lock:
        _window = (key, found)
    return found

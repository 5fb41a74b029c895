"""Collections: named lists of papers, private unless made public, changed only by their owner."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from dailypapers.community.collections import (
    CollectionRefused,
    add_paper,
    collection_papers,
    collections_of,
    create_collection,
    delete_collection,
    remove_paper,
    update_collection,
    visible_collection,
)
from dailypapers.community.models import Collection
from dailypapers.papers.models import Paper

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def ada() -> object:
    return User.objects.create_user("ada", password="x")


@pytest.fixture
def grace() -> object:
    return User.objects.create_user("grace", password="x")


def papers(count: int) -> list[Paper]:
    return [Paper.objects.create(arxiv_id=f"2507.{n:05d}", title=f"P{n}") for n in range(count)]


def test_papers_are_listed_newest_addition_first_and_once(ada: object) -> None:
    reading = create_collection(ada, "  Reading   list ")
    assert (reading.name, reading.slug, reading.is_public) == (
        "Reading list",
        "reading-list",
        False,
    )
    first, second = papers(2)
    assert add_paper(ada, reading.pk, first.pk)
    assert add_paper(ada, reading.pk, second.pk)
    assert not add_paper(ada, reading.pk, first.pk)
    assert [p.title for p in collection_papers(reading)] == ["P1", "P0"]
    assert remove_paper(ada, reading.pk, first.pk)
    assert [p.title for p in collection_papers(reading)] == ["P1"]


def test_same_name_gets_a_distinct_slug(ada: object, grace: object) -> None:
    assert create_collection(ada, "Diffusion").slug == "diffusion"
    assert create_collection(ada, "Diffusion").slug == "diffusion-2"
    assert create_collection(grace, "Diffusion").slug == "diffusion"


def test_private_collection_looks_missing_to_others(ada: object, grace: object) -> None:
    secret = create_collection(ada, "Secret")
    shared = create_collection(ada, "Shared", is_public=True)
    assert visible_collection(ada, "ada", "secret") == secret
    for viewer in (grace, AnonymousUser()):
        with pytest.raises(Collection.DoesNotExist):
            visible_collection(viewer, "ada", "secret")
        assert visible_collection(viewer, "ada", "shared") == shared
        assert list(collections_of(ada, viewer)) == [shared]
    assert list(collections_of(ada, ada)) == [secret, shared]


def test_only_the_owner_changes_a_collection(ada: object, grace: object) -> None:
    mine = create_collection(ada, "Mine")
    [paper] = papers(1)
    with pytest.raises(CollectionRefused):
        add_paper(grace, mine.pk, paper.pk)
    with pytest.raises(CollectionRefused):
        update_collection(grace, mine.pk, name="Hers", description="", is_public=True)
    with pytest.raises(CollectionRefused):
        delete_collection(grace, mine.pk)
    update_collection(ada, mine.pk, name="Still mine", description="notes", is_public=True)
    mine.refresh_from_db()
    assert (mine.name, mine.is_public) == ("Still mine", True)
    delete_collection(ada, mine.pk)
    assert not Collection.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_bad_names_are_refused(ada: object, name: str) -> None:
    with pytest.raises(CollectionRefused):
        create_collection(ada, name)


def test_unknown_paper_is_refused(ada: object) -> None:
    collection = create_collection(ada, "Empty")
    with pytest.raises(CollectionRefused, match="does not exist"):
        add_paper(ada, collection.pk, 999_999)

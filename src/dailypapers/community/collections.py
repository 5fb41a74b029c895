"""Collections: members' named lists of papers, private by default, shareable when public."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from dailypapers.community.models import Collection, CollectionItem
from dailypapers.papers.models import Paper


class CollectionRefused(ValueError):
    """A collection change that cannot be made; the message says why."""


def create_collection(
    owner: User, name: str, *, description: str = "", is_public: bool = False
) -> Collection:
    name = " ".join((name or "").split())
    if not name:
        raise CollectionRefused("A collection needs a name.")
    if len(name) > 120:
        raise CollectionRefused("A collection name can be at most 120 characters.")
    if Collection.objects.filter(owner=owner).count() >= settings.COLLECTIONS_PER_MEMBER:
        raise CollectionRefused(
            f"You can have at most {settings.COLLECTIONS_PER_MEMBER} collections."
        )
    base = slugify(name)[:120] or "collection"
    for attempt in range(1, 100):
        slug = base if attempt == 1 else f"{base}-{attempt}"
        try:
            with transaction.atomic():
                return Collection.objects.create(
                    owner=owner,
                    name=name,
                    slug=slug,
                    description=description.strip(),
                    is_public=is_public,
                )
        except IntegrityError:
            continue  # that slug is taken by another of the owner's collections
    raise CollectionRefused("Choose another name: too many collections share this one.")


def add_paper(owner: User, collection_id: int, paper_id: int) -> bool:
    """Add a paper; False when it was already there."""
    collection = _owned(owner, collection_id)
    if not Paper.objects.filter(pk=paper_id, is_hidden=False).exists():
        raise CollectionRefused("That paper does not exist.")
    _, created = CollectionItem.objects.get_or_create(collection=collection, paper_id=paper_id)
    return created


def remove_paper(owner: User, collection_id: int, paper_id: int) -> bool:
    collection = _owned(owner, collection_id)
    return CollectionItem.objects.filter(collection=collection, paper_id=paper_id).delete()[0] > 0


def update_collection(
    owner: User, collection_id: int, *, name: str, description: str, is_public: bool
) -> Collection:
    collection = _owned(owner, collection_id)
    name = " ".join((name or "").split())
    if not name:
        raise CollectionRefused("A collection needs a name.")
    collection.name, collection.description = name[:120], description.strip()
    collection.is_public = is_public
    collection.save(update_fields=["name", "description", "is_public"])
    return collection


def delete_collection(owner: User, collection_id: int) -> None:
    _owned(owner, collection_id).delete()


def visible_collection(viewer: User | AnonymousUser, username: str, slug: str) -> Collection:
    """The collection page's collection: public, or the viewer's own. Raises DoesNotExist
    otherwise, so a private collection looks exactly like a missing one."""
    collection = Collection.objects.select_related("owner").get(owner__username=username, slug=slug)
    if collection.is_public or collection.owner_id == viewer.pk:
        return collection
    raise Collection.DoesNotExist(slug)


def collections_of(owner: User, viewer: User | AnonymousUser) -> QuerySet[Collection]:
    """An owner's collections as a viewer may see them: all to the owner, public to others."""
    collections = Collection.objects.filter(owner=owner)
    return collections if owner.pk == viewer.pk else collections.filter(is_public=True)


def collection_papers(collection: Collection) -> QuerySet[Paper]:
    """The papers, most recently added first."""
    papers = Paper.objects.filter(collectionitem__collection=collection, is_hidden=False)
    return papers.order_by("-collectionitem__added_at", "-collectionitem__id")


def _owned(owner: User, collection_id: int) -> Collection:
    collection = Collection.objects.filter(pk=collection_id, owner=owner).first()
    if collection is None:
        raise CollectionRefused("You have no such collection.")
    return collection

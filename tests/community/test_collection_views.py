"""Collections: add a paper from its page (to a new or an existing collection), the
shareable page (404 when private, except to its owner), the owner's edits, the profile list."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dailypapers.community.collections import add_paper as collect
from dailypapers.community.collections import create_collection
from dailypapers.community.models import Collection
from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db
COLLECT = "/papers/2501.00001/collect"


@pytest.fixture
def paper() -> Paper:
    return add_paper(date(2025, 1, 3), arxiv_id="2501.00001", title="Attention again")


@pytest.fixture
def ada() -> User:
    return User.objects.create_user("ada", password="x")


def login(user: User, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_adding_to_a_new_collection_from_the_paper_page(paper: Paper, ada: User) -> None:
    client = login(ada, csrf=True)
    page = client.get("/papers/2501.00001")
    html = page.content.decode()
    assert 'action="/papers/2501.00001/collect"' in html and "Add to a collection" in html
    token = page.cookies["csrftoken"].value
    assert client.post(COLLECT, {"new_name": "Reading list"}).status_code == 403
    response = client.post(COLLECT, {"new_name": "Reading list", "csrfmiddlewaretoken": token})
    assert response["Location"] == "/papers/2501.00001"
    shelf = Collection.objects.get(owner=ada)
    assert (shelf.name, shelf.slug, shelf.is_public) == ("Reading list", "reading-list", False)
    assert list(shelf.items.values_list("paper_id", flat=True)) == [paper.id]
    assert "Added to your collection “Reading list”" in client.get("/").content.decode()


def test_adding_to_an_existing_collection(paper: Paper, ada: User) -> None:
    shelf = create_collection(ada, "Robots")
    client = login(ada)
    assert (
        f'<option value="{shelf.pk}">Robots</option>'
        in client.get("/papers/2501.00001").content.decode()
    )
    client.post(COLLECT, {"collection": str(shelf.pk)})
    client.post(COLLECT, {"collection": str(shelf.pk)})
    assert shelf.items.count() == 1
    assert "Already in your collection" in client.get("/").content.decode()


def test_nobody_adds_to_someone_elses_collection(paper: Paper, ada: User) -> None:
    shelf = create_collection(ada, "Robots")
    grace = login(User.objects.create_user("grace"))
    grace.post(COLLECT, {"collection": str(shelf.pk)})
    assert shelf.items.count() == 0
    assert Client().post(COLLECT, {"new_name": "x"}).status_code == 302
    assert Collection.objects.count() == 1


def test_anonymous_visitors_get_no_collection_form(paper: Paper) -> None:
    assert "Add to a collection" not in Client().get("/papers/2501.00001").content.decode()


def test_a_private_collection_is_404_to_all_but_its_owner(paper: Paper, ada: User) -> None:
    shelf = create_collection(ada, "Secret plans")
    collect(ada, shelf.pk, paper.id)
    url = "/users/ada/collections/secret-plans"
    assert Client().get(url).status_code == 404
    assert login(User.objects.create_user("grace")).get(url).status_code == 404
    owner_view = login(ada).get(url)
    assert owner_view.status_code == 200 and "Attention again" in owner_view.content.decode()


def test_a_public_collection_is_shareable_with_cards(paper: Paper, ada: User) -> None:
    shelf = create_collection(ada, "Good reads", is_public=True)
    collect(ada, shelf.pk, paper.id)
    html = Client().get("/users/ada/collections/good-reads").content.decode()
    assert '<article class="card"' in html and "Attention again" in html
    assert "Remove from collection" not in html and "Edit this collection" not in html
    assert Client().get("/users/ada/collections/nothing-here").status_code == 404


def test_the_owner_renames_publishes_removes_and_deletes(paper: Paper, ada: User) -> None:
    shelf = create_collection(ada, "Draft")
    collect(ada, shelf.pk, paper.id)
    client = login(ada, csrf=True)
    page = client.get("/users/ada/collections/draft")
    token = page.cookies["csrftoken"].value
    edit = {"name": "Final", "description": "", "is_public": "on", "csrfmiddlewaretoken": token}
    client.post(f"/collections/{shelf.pk}/edit", edit)
    shelf.refresh_from_db()
    assert (shelf.name, shelf.is_public, shelf.slug) == ("Final", True, "draft")
    client.post(
        f"/collections/{shelf.pk}/remove", {"paper": paper.id, "csrfmiddlewaretoken": token}
    )
    assert shelf.items.count() == 0
    confirm = client.get(f"/collections/{shelf.pk}/delete")
    assert "Delete “Final”?" in confirm.content.decode() and Collection.objects.exists()
    response = client.post(f"/collections/{shelf.pk}/delete", {"csrfmiddlewaretoken": token})
    assert response["Location"] == "/users/ada"
    assert not Collection.objects.exists()


def test_others_cannot_change_a_collection(paper: Paper, ada: User) -> None:
    shelf = create_collection(ada, "Mine", is_public=True)
    collect(ada, shelf.pk, paper.id)
    grace = login(User.objects.create_user("grace"))
    edit = {"name": "Ours", "is_public": ""}
    assert grace.post(f"/collections/{shelf.pk}/edit", edit).status_code == 404
    assert grace.post(f"/collections/{shelf.pk}/remove", {"paper": paper.id}).status_code == 404
    assert grace.post(f"/collections/{shelf.pk}/delete").status_code == 404
    shelf.refresh_from_db()
    assert shelf.name == "Mine" and shelf.items.count() == 1


def test_get_never_changes_a_collection(paper: Paper, ada: User) -> None:
    shelf = create_collection(ada, "Keep")
    collect(ada, shelf.pk, paper.id)
    client = login(ada)
    assert client.get(f"/collections/{shelf.pk}/remove?paper={paper.id}").status_code == 405
    assert client.get(f"/collections/{shelf.pk}/edit?name=Changed").status_code == 405
    assert client.get(f"{COLLECT}?new_name=Other").status_code == 405
    client.get(f"/collections/{shelf.pk}/delete")
    shelf.refresh_from_db()
    assert shelf.name == "Keep" and shelf.items.count() == 1 and Collection.objects.count() == 1


def test_a_hostile_name_is_escaped_everywhere(paper: Paper, ada: User) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    client = login(ada)
    client.post(COLLECT, {"new_name": hostile})
    shelf = Collection.objects.get()
    shelf.is_public = True
    shelf.save()
    pages = [
        client.get("/papers/2501.00001"),  # the select and the success message
        Client().get(f"/users/ada/collections/{shelf.slug}"),
        Client().get("/users/ada"),
    ]
    for page in pages:
        html = page.content.decode()
        assert hostile not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_profile_lists_public_collections_to_others(ada: User) -> None:
    create_collection(ada, "Open shelf", is_public=True)
    create_collection(ada, "Hidden shelf")
    others = Client().get("/users/ada").content.decode()
    assert "Open shelf" in others and "Hidden shelf" not in others
    assert 'href="/users/ada/collections/open-shelf"' in others
    own = login(ada).get("/users/ada").content.decode()
    assert "Open shelf" in own and "Hidden shelf" in own and "private" in own

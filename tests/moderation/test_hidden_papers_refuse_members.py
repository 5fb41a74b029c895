"""A hidden paper takes no new votes, comments or collection entries, even by direct POST."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dailypapers.community.collections import (
    CollectionRefused,
    add_paper,
    collection_papers,
    create_collection,
)
from dailypapers.community.comments import post_comment
from dailypapers.community.votes import set_vote
from dailypapers.papers.models import Paper

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def hidden() -> Paper:
    return Paper.objects.create(arxiv_id="2509.00001", title="Hidden", is_hidden=True)


def test_services_refuse_a_hidden_paper(hidden: Paper) -> None:
    ada = User.objects.create_user("ada", password="x")
    with pytest.raises(Paper.DoesNotExist):
        set_vote(ada, hidden.pk, True)
    with pytest.raises(Paper.DoesNotExist):
        post_comment(ada, hidden.pk, "hello")
    collection = create_collection(ada, "Mine")
    with pytest.raises(CollectionRefused):
        add_paper(ada, collection.pk, hidden.pk)
    hidden.refresh_from_db()
    assert (hidden.local_upvotes, hidden.local_comments) == (0, 0)


def test_collection_leaves_out_a_paper_hidden_after_it_was_added() -> None:
    ada = User.objects.create_user("ada", password="x")
    paper = Paper.objects.create(arxiv_id="2509.00002", title="Soon hidden")
    collection = create_collection(ada, "Mine")
    add_paper(ada, collection.pk, paper.pk)
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    assert list(collection_papers(collection)) == []


def test_direct_post_to_a_hidden_paper_is_404(hidden: Paper) -> None:
    client = Client()
    client.force_login(User.objects.create_user("ada", password="x"))
    assert client.post("/papers/2509.00001/vote", {"up": "1"}).status_code == 404

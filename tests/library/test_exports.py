"""A collection exported as BibTeX, RIS and CSL-JSON reads back (through the importers, which
read the formats as reference managers write them) as the same papers."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dailypapers.community.collections import add_paper as collect
from dailypapers.community.collections import create_collection
from dailypapers.library import parsers
from dailypapers.library.imports import start_import
from dailypapers.library.models import ImportJob
from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf() -> tuple[User, int, list[Paper]]:
    ada = User.objects.create_user("ada", password="x")
    papers = [
        add_paper(
            arxiv_id="2401.00001",
            title="Sparse $k$-means & friends: 100% recall",
            authors=["Ada Lovelace", "Grace Hopper"],
            journal_ref="J. Things 3 (2024)",
            doi="10.1000/things.3",
        ),
        add_paper(arxiv_id="hep-th/9901001", title="Strings in {curly} places", authors=["Lee"]),
        add_paper(arxiv_id="2402.00002", title="Graph transformers for molecules"),
    ]
    shelf = create_collection(ada, "Shelf", is_public=False)
    for paper in papers:
        collect(ada, shelf.pk, paper.id)
    return ada, shelf.pk, papers


@pytest.mark.parametrize("format", ["bib", "ris", "json"])
def test_an_export_imports_back_as_the_same_papers(
    shelf: tuple[User, int, list[Paper]], format: str
) -> None:
    ada, shelf_id, papers = shelf
    client = Client()
    client.force_login(ada)
    response = client.get(f"/collections/{shelf_id}/export.{format}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="shelf.{format}"'
    parsed = parsers.parse(response.content.decode(), parsers.detect(response.content.decode()))
    assert parsed.problems == []
    assert {entry.arxiv_id for entry in parsed.entries} == {p.arxiv_id for p in papers}
    grace = User.objects.create_user("grace")
    job = start_import(grace, f"shelf.{format}", response.content, "From Ada")
    assert job.status == ImportJob.Status.DONE and job.matched == 3 and job.unmatched == []


def test_csl_json_names_authors_the_way_zotero_reads_them(
    shelf: tuple[User, int, list[Paper]],
) -> None:
    ada, shelf_id, _ = shelf
    client = Client()
    client.force_login(ada)
    items = json.loads(client.get(f"/collections/{shelf_id}/export.json").content)
    first = next(item for item in items if item["number"] == "arXiv:2401.00001")
    assert first["author"][0] == {"family": "Lovelace", "given": "Ada"}
    assert first["DOI"] == "10.1000/things.3" and first["type"] == "article-journal"
    assert first["container-title"] == "J. Things 3 (2024)"


def test_a_private_collection_exports_only_to_its_owner(
    shelf: tuple[User, int, list[Paper]],
) -> None:
    _, shelf_id, _ = shelf
    assert Client().get(f"/collections/{shelf_id}/export.bib").status_code == 404
    grace = Client()
    grace.force_login(User.objects.create_user("grace"))
    assert grace.get(f"/collections/{shelf_id}/export.ris").status_code == 404
    assert grace.get("/collections/999/export.bib").status_code == 404

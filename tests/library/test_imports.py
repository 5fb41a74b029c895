"""Importing a library: entries matched by arXiv id, DOI or title into a collection, the rest
listed; a big file goes through the resumable background job in chunks."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dailypapers.community.models import CollectionItem
from dailypapers.library import imports
from dailypapers.library.imports import ImportRefused, start_import
from dailypapers.library.models import ImportJob
from dailypapers.library.tasks import pending_imports, run_import
from dailypapers.operations.consumer import drain
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db
LIBRARY = Path(__file__).resolve().parents[1] / "data" / "library"


@pytest.fixture
def papers() -> dict[str, int]:
    return {
        "attention": add_paper(arxiv_id="1706.03762", title="Attention Is All You Need").id,
        "bert": add_paper(
            arxiv_id="1810.04805",
            title="BERT: Pre-training of Deep Bidirectional Transformers for Language"
            " Understanding",
        ).id,
        "resnet": add_paper(
            arxiv_id="1512.03385", title="Deep Residual Learning for Image Recognition"
        ).id,
        "gnn": add_paper(
            arxiv_id="1901.00596", title="A Comprehensive Survey on Graph Neural Networks"
        ).id,
    }


def collected(job: ImportJob) -> set[int]:
    items = CollectionItem.objects.filter(collection_id=job.collection_id)
    return set(items.values_list("paper_id", flat=True))


@pytest.mark.parametrize(
    ("name", "expected", "problems"),
    [
        ("zotero.bib", {"attention", "bert", "resnet", "gnn"}, 2),
        ("mendeley.ris", {"attention", "resnet", "gnn"}, 2),
        ("zotero.json", {"attention", "resnet", "gnn"}, 2),
    ],
)
def test_a_library_file_fills_a_collection_and_lists_what_did_not_match(
    papers: dict[str, int], name: str, expected: set[str], problems: int
) -> None:
    ada = User.objects.create_user("ada")
    job = start_import(ada, name, (LIBRARY / name).read_bytes())
    assert job.status == ImportJob.Status.DONE
    assert collected(job) == {papers[key] for key in expected}
    assert job.collection is not None and job.collection.name == "Imported library"
    assert [entry["title"] for entry in job.unmatched] == ["Literate Programming"]
    assert "10.1093/comjnl/27.2.97" in job.unmatched[0]["why"]
    assert len(job.problems) == problems


def test_importing_again_adds_nothing_twice(papers: dict[str, int]) -> None:
    ada = User.objects.create_user("ada")
    data = (LIBRARY / "zotero.bib").read_bytes()
    first = start_import(ada, "zotero.bib", data, "Reading list")
    second = start_import(ada, "zotero.bib", data, "Reading list")
    assert first.collection_id == second.collection_id
    assert CollectionItem.objects.filter(collection_id=first.collection_id).count() == 4


def test_a_big_file_waits_for_the_background_job_which_resumes_where_it_stopped(
    papers: dict[str, int], settings: object
) -> None:
    settings.LIBRARY_IMPORT_INLINE_ENTRIES = 100  # type: ignore[attr-defined]
    entries = "".join(
        f"@misc{{e{n}, title = {{Paper {n} nobody wrote here}}, eprint = {{2399.{n:05d}}},"
        " archivePrefix = {arXiv}}\n"
        for n in range(450)
    )
    entries += "@misc{last, eprint = {1706.03762}, archivePrefix = {arXiv}}\n"
    ada = User.objects.create_user("ada")
    job = start_import(ada, "big.bib", entries.encode())
    assert job.status == ImportJob.Status.PENDING and job.position == 0
    assert pending_imports() == [job.pk]
    imports.run_chunks(job.pk, chunks=1)  # a worker killed after one chunk
    job.refresh_from_db()
    assert (job.status, job.position, job.percent) == (ImportJob.Status.RUNNING, 200, 44)
    assert "451 matched" not in run_import(job.pk)
    job.refresh_from_db()
    assert (job.status, job.position, job.matched) == (ImportJob.Status.DONE, 451, 1)
    assert len(job.unmatched) == 450 and collected(job) == {papers["attention"]}
    assert run_import(job.pk).startswith(f"import {job.pk}: 1 matched, 450 not found")
    assert pending_imports() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"nothing to see", "not BibTeX, RIS or CSL-JSON"),
        (b"[]", "no entries"),
        (b'{"title": 1}', "a list of items"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why_and_keeps_nothing(
    data: bytes, message: str
) -> None:
    ada = User.objects.create_user("ada")
    with pytest.raises(ImportRefused, match=message):
        start_import(ada, "library.txt", data)
    assert not ImportJob.objects.exists()


def test_the_library_command_finishes_waiting_imports(
    papers: dict[str, int], settings: object
) -> None:
    from io import StringIO

    from django.core.management import call_command

    settings.LIBRARY_IMPORT_INLINE_ENTRIES = 0  # type: ignore[attr-defined]
    ada = User.objects.create_user("ada")
    job = start_import(ada, "zotero.json", (LIBRARY / "zotero.json").read_bytes())
    out = StringIO()
    call_command("library", "status", stdout=out)
    call_command("library", "run", "--no-progress", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 imports waiting",
        "1 imports finished, 3 papers matched",
    ]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_a_big_upload_is_handed_to_a_worker_at_once(
    papers: dict[str, int], settings: object, client: Client
) -> None:
    settings.LIBRARY_IMPORT_INLINE_ENTRIES = 2  # type: ignore[attr-defined]
    client.force_login(User.objects.create_user("ada"))
    upload = SimpleUploadedFile("zotero.bib", (LIBRARY / "zotero.bib").read_bytes())
    response = client.post("/library/import", {"file": upload, "collection": "Reading list"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.PENDING
    assert drain(["submissions"]) == 1  # the worker, not the next quarter-hour's sweep
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and collected(job) == set(papers.values())

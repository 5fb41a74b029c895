"""Every host's keyword index follows the papers table by itself (issue 12): a host with a
fresh data directory becomes searchable from the database alone, filters included."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from dailypapers.papers.models import Paper
from dailypapers.search import indexer
from dailypapers.search.embeddings import NullEmbedder
from dailypapers.search.lexical import LexicalIndexBusy, TantivyLexicalIndex
from dailypapers.search.query import parse_query
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


def found(index: TantivyLexicalIndex, text: str) -> list[int]:
    return sorted(hit.paper_id for hit in index.search(parse_query(text), 50))


def test_a_fresh_host_catches_up_from_the_database(tmp_path: Path) -> None:
    worker = TantivyLexicalIndex(tmp_path / "worker" / "lexical")
    first = add_paper(title="Sparse attention for long documents", categories=("cs.CL",))
    second = add_paper(title="Protein folding with diffusion", categories=("q-bio.BM",))
    indexer.update_index(NullEmbedder(), worker)
    # A web host started later, on an empty data directory, with no word from the worker.
    web = TantivyLexicalIndex(tmp_path / "web" / "lexical")
    assert found(web, "attention") == []
    assert indexer.follow_papers(web) == 2
    assert found(web, "attention") == [first.pk]
    assert found(web, "cat:q-bio.BM") == [second.pk]  # filters alone work there too
    assert found(web, "cat:q-bio.BM") == found(worker, "cat:q-bio.BM")


def test_following_again_reads_only_what_changed(tmp_path: Path) -> None:
    index = TantivyLexicalIndex(tmp_path / "lexical")
    paper = add_paper(title="Graph transformers")
    add_paper(title="Weather forecasting")
    assert indexer.follow_papers(index) == 2
    assert indexer.follow_papers(index) == 0
    Paper.objects.filter(pk=paper.pk).update(title="Graph state space models")
    Paper.objects.get(pk=paper.pk).save()  # modified_at moves on, as ingest does
    assert indexer.follow_papers(index) == 1
    assert found(index, "transformers") == []
    assert found(index, "state space") == [paper.pk]
    assert index.count() == 2


def test_follow_resumes_after_its_last_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer, "FOLLOW_BATCH", 2)
    papers = [
        add_paper(title=f"Topic {word}") for word in ("alpha", "beta", "gamma", "delta", "epsilon")
    ]
    index = TantivyLexicalIndex(tmp_path / "lexical")
    batches = indexer._paper_batches("modified_at", {}, None)
    index.write_batches([next(batches)], replace=False)  # killed after the first commit
    assert index.count() == 2
    indexer.follow_papers(index)
    assert index.count() == 5
    assert found(index, "epsilon") == [papers[-1].pk]


def test_one_process_writes_at_a_time(tmp_path: Path) -> None:
    add_paper(title="Mixture of experts")
    index = TantivyLexicalIndex(tmp_path / "lexical")
    other = TantivyLexicalIndex(tmp_path / "lexical")
    holder = other.index.writer(heap_size=15_000_000, num_threads=1)
    with pytest.raises(LexicalIndexBusy):
        indexer.follow_papers(index)
    report = indexer.update_index(NullEmbedder(), index)  # the other one does it; no error
    assert report.indexed == 0
    del holder
    assert indexer.follow_papers(index) == 1


def test_search_update_on_a_new_host(tmp_path: Path, settings, capsys) -> None:  # type: ignore[no-untyped-def]
    settings.SEARCH_INDEX_DIR = str(tmp_path / "search")
    settings.SEARCH_EMBEDDER = "null"
    from dailypapers.search.engine import reset_engine

    reset_engine()
    paper = add_paper(title="Quantum error correction")
    call_command("search", "update", "--no-progress", "--no-embed")
    assert "indexed 1," in capsys.readouterr().out
    index = TantivyLexicalIndex(tmp_path / "search" / "lexical")
    assert found(index, "quantum") == [paper.pk]
    reset_engine()


def test_a_bulk_import_that_ended_long_ago_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer, "FOLLOW_HELD_MAX", 1)  # too many in the margin to remember
    for word in ("alpha", "beta", "gamma"):
        add_paper(title=f"Topic {word}")
    Paper.objects.update(modified_at=timezone.now() - timedelta(hours=1))
    index = TantivyLexicalIndex(tmp_path / "lexical")
    assert indexer.follow_papers(index) == 3
    assert indexer.follow_backlog(index) == 0
    assert indexer.follow_papers(index) == 0

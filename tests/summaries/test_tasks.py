"""New papers get a summary without anyone asking; running again makes nothing twice; a changed
abstract or method is made again; switched off, nothing is made."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from pytest_django import Settings

from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import NullEmbedder, OnnxEmbedder, paper_text
from dailypapers.search.indexer import update_index
from dailypapers.search.lexical import TantivyLexicalIndex
from dailypapers.summaries.models import PaperSummary
from dailypapers.summaries.summarizer import method_id
from dailypapers.summaries.tasks import summarize_papers
from tests.papers.factories import add_paper

ABSTRACT = (
    "Proteins matter in biology. We introduce a graph transformer that predicts protein "
    "structure from residue contact graphs. It beats earlier models on CASP14."
)


@pytest.fixture
def papers(db: None) -> list[Paper]:
    return [
        add_paper(title="Graph transformers for protein structure", abstract=ABSTRACT),
        add_paper(title="Speech recognition for rare languages", abstract=""),
    ]


def test_papers_lacking_a_summary_get_one_and_a_second_run_makes_none(
    papers: list[Paper], embedder: OnnxEmbedder
) -> None:
    report = summarize_papers(embedder, batch_size=1)
    assert report.summarized == 2
    made = PaperSummary.objects.get(paper=papers[0])
    assert made.sentence.startswith("We introduce a graph transformer")
    assert 3 <= len(made.keywords) <= 6
    assert made.method == method_id(embedder)
    assert PaperSummary.objects.get(paper=papers[1]).sentence == ""
    assert summarize_papers(embedder).summarized == 0


def test_a_changed_abstract_is_summarized_again(
    papers: list[Paper], embedder: OnnxEmbedder
) -> None:
    summarize_papers(embedder)
    paper = papers[1]
    paper.abstract = "We transcribe speech in languages with little labelled audio."
    paper.save()
    assert summarize_papers(embedder).summarized == 1
    assert PaperSummary.objects.get(paper=paper).sentence.startswith("We transcribe speech")


def test_a_change_elsewhere_than_the_text_is_not_made_again(
    papers: list[Paper], embedder: OnnxEmbedder
) -> None:
    summarize_papers(embedder)
    first = PaperSummary.objects.get(paper=papers[0])
    papers[0].github_repo = "https://github.com/example/fold"
    papers[0].save()
    summarize_papers(embedder)  # looks at it again, keeps what it had
    assert summarize_papers(embedder).summarized == 0
    assert PaperSummary.objects.get(paper=papers[0]).keywords == first.keywords


def test_summaries_made_without_the_model_are_made_again_with_it(
    papers: list[Paper], embedder: OnnxEmbedder
) -> None:
    assert summarize_papers(NullEmbedder()).summarized == 2
    assert summarize_papers(embedder).summarized == 2
    assert set(PaperSummary.objects.values_list("method", flat=True)) == {method_id(embedder)}


def test_switched_off_nothing_is_made(
    papers: list[Paper], embedder: OnnxEmbedder, settings: Settings
) -> None:
    settings.SUMMARIES_ENABLED = False
    assert summarize_papers(embedder).summarized == 0
    assert not PaperSummary.objects.exists()
    with pytest.raises(CommandError, match="switched off"):
        call_command("summaries", "update")


def test_the_command_summarizes_and_reports(papers: list[Paper], settings: Settings) -> None:
    settings.SEARCH_EMBEDDER = "onnx"
    out = StringIO()
    call_command("summaries", "update", "--no-progress", stdout=out)
    assert out.getvalue().startswith("summarized 2 papers (centroid-mmr-1/")
    out = StringIO()
    call_command("summaries", "status", stdout=out)
    assert out.getvalue().startswith("papers 2, summarized 2")


class RecordingEmbedder:
    """The shipped model, noting every text it is asked to embed."""

    def __init__(self, inner: OnnxEmbedder) -> None:
        self.inner, self.texts = inner, []  # type: ignore[var-annotated]
        self.model_id, self.dimension = inner.model_id, inner.dimension

    def embed(self, texts: list[str]) -> Any:
        self.texts += texts
        return self.inner.embed(texts)


def test_search_vectors_of_the_same_text_are_used_not_made_again(
    papers: list[Paper], embedder: OnnxEmbedder, tmp_path: Path
) -> None:
    update_index(embedder, TantivyLexicalIndex(tmp_path))  # search embeds both papers
    Paper.objects.filter(pk=papers[1].pk).update(abstract="Speech in rare languages, recognized.")
    recording = RecordingEmbedder(embedder)
    summarize_papers(recording)  # type: ignore[arg-type]
    first, second = (Paper.objects.get(pk=p.pk) for p in papers)
    assert paper_text(first.title, first.abstract) not in recording.texts
    # The second's abstract changed after search embedded it: its vector is not used.
    assert paper_text(second.title, second.abstract) in recording.texts
    made = PaperSummary.objects.get(paper=first)
    assert made.sentence.startswith("We introduce a graph transformer")
    assert 3 <= len(made.keywords) <= 6

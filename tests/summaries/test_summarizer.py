"""The summary is one sentence of the abstract and the keywords 3 to 6 phrases of the paper,
on real papers and odd ones, with the shipped model and without any."""

from __future__ import annotations

import pytest

from dailypapers.search.embeddings import NullEmbedder, OnnxEmbedder
from dailypapers.summaries.phrases import STOP_WORDS
from dailypapers.summaries.sentences import split_sentences
from dailypapers.summaries.summarizer import (
    MAX_KEYWORDS,
    MIN_KEYWORDS,
    PaperText,
    Summary,
    method_id,
    summarize,
)
from tests.summaries.conftest import real_papers


def _words(text: str) -> set[str]:
    return {word.strip(".,;:()").lower() for word in text.split()}


def assert_good_keywords(summary: Summary, paper: PaperText) -> None:
    assert MIN_KEYWORDS <= len(summary.keywords) <= MAX_KEYWORDS, summary.keywords
    source = " ".join((paper.title + " " + paper.abstract).lower().split())
    for keyword in summary.keywords:
        assert keyword.lower() in source, keyword  # taken from the paper, as written
        assert not set(keyword.lower().split()) & STOP_WORDS, keyword
    assert len({k.lower() for k in summary.keywords}) == len(summary.keywords)


def test_real_papers_get_a_sentence_of_their_abstract_and_3_to_6_keywords(
    embedder: OnnxEmbedder,
) -> None:
    papers = [PaperText(n, row["title"], row["abstract"]) for n, row in enumerate(real_papers(12))]
    summaries = summarize(papers, embedder)
    assert [s.paper_id for s in summaries] == [p.paper_id for p in papers]
    for paper, summary in zip(papers, summaries, strict=True):
        sentences = split_sentences(paper.abstract)
        # One sentence of the abstract (an opening like "In this paper," may be dropped).
        assert len(split_sentences(summary.sentence)) == 1, summary.sentence
        core = summary.sentence.rstrip(".…")[-40:].lower()
        assert any(core in sentence.lower() for sentence in sentences), summary.sentence
        assert_good_keywords(summary, paper)


def test_the_summary_is_the_sentence_about_the_paper_not_the_background(
    embedder: OnnxEmbedder,
) -> None:
    paper = PaperText(
        1,
        "Graph transformers for protein structure prediction",
        "Proteins are important molecules in biology. Many people have studied them for "
        "decades. We introduce a graph transformer that predicts protein structure from "
        "residue contact graphs. The weather was nice during the experiments.",
    )
    (summary,) = summarize([paper], embedder)
    assert summary.sentence.startswith("We introduce a graph transformer")
    assert_good_keywords(summary, paper)
    assert any("graph transformer" in k.lower() for k in summary.keywords)


@pytest.mark.parametrize(
    ("title", "abstract"),
    [
        ("Graph transformers for protein structure prediction", ""),
        ("", "We predict protein structure with graph transformers over residue contacts."),
        ("", ""),
        ("A note", "."),
    ],
    ids=["no-abstract", "no-title", "nothing", "punctuation"],
)
def test_odd_inputs_give_a_summary_or_none_never_an_error(
    embedder: OnnxEmbedder, title: str, abstract: str
) -> None:
    (summary,) = summarize([PaperText(1, title, abstract)], embedder)
    if split_sentences(abstract):
        assert summary.sentence.startswith("We predict protein structure")
    else:
        assert summary.sentence == ""
    assert len(summary.keywords) <= MAX_KEYWORDS
    for keyword in summary.keywords:
        assert not set(keyword.lower().split()) & STOP_WORDS


def test_one_sentence_abstract_is_its_own_summary(embedder: OnnxEmbedder) -> None:
    abstract = "We fold proteins with graph transformers and attention over residues."
    (summary,) = summarize([PaperText(1, "Graph transformers for folding", abstract)], embedder)
    assert summary.sentence == abstract
    assert 1 <= len(summary.keywords) <= MAX_KEYWORDS


def test_tex_stays_whole_in_the_summary_and_out_of_the_keywords(embedder: OnnxEmbedder) -> None:
    abstract = (
        "Sparse recovery matters in signal processing. We prove that $\\ell_1$ minimisation "
        "recovers $k$-sparse vectors from $O(k \\log n)$ Gaussian measurements. "
        "Numerical experiments with \\emph{compressed sensing} matrices confirm the bound."
    )
    (summary,) = summarize(
        [PaperText(1, "Sparse recovery by $\\ell_1$ minimisation", abstract)], embedder
    )
    assert summary.sentence.count("$") % 2 == 0
    assert summary.sentence in abstract
    for keyword in summary.keywords:
        assert "$" not in keyword and "\\" not in keyword
        assert "ell" not in keyword.split() and "emph" not in keyword.lower()


def test_a_very_long_abstract_still_gives_one_readable_sentence(embedder: OnnxEmbedder) -> None:
    sentence = "We measure the thermal conductivity of graphene ribbons at low temperature. "
    filler = "Further measurements of other ribbon samples under many conditions follow. "
    abstract = sentence + filler * 150 + "This closes the study of ribbons."
    (summary,) = summarize(
        [PaperText(1, "Thermal conductivity of graphene ribbons", abstract)], embedder
    )
    assert len(summary.sentence) <= 300
    assert summary.sentence in abstract
    assert MIN_KEYWORDS <= len(summary.keywords) <= MAX_KEYWORDS


def test_without_a_model_the_first_sentence_and_ranked_phrases_are_used() -> None:
    row = real_papers(1)[0]
    paper = PaperText(1, row["title"], row["abstract"])
    null = NullEmbedder()
    (summary,) = summarize([paper], null)
    assert summary.sentence.rstrip(".")[-30:] in split_sentences(paper.abstract)[0]
    assert_good_keywords(summary, paper)
    assert method_id(null).endswith("/null")  # made again once the model is back

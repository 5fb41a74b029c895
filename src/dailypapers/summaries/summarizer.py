"""Making summaries: the abstract's most central sentence and 3 to 6 keyphrases, chosen by
embedding similarity to the whole paper (extractive, on the shipped embedder; the method and
how it was checked are in docs/summaries.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from dailypapers.search.embeddings import Embedder, EmbedderUnavailable, Vectors, paper_text
from dailypapers.summaries.phrases import Candidate, candidates
from dailypapers.summaries.sentences import split_sentences, tidy_summary, word_count

METHOD = "centroid-mmr-1"
MIN_KEYWORDS, MAX_KEYWORDS = 3, 6
# MMR's balance between closeness to the paper and difference from keywords already kept.
DIVERSITY = 0.35
# A fourth to sixth keyword is kept only when this close to the paper, relative to the best.
EXTRA_KEYWORD_RATIO = 0.8
# Sentences shorter or longer than this read badly alone; used only when nothing else is.
READABLE_WORDS = (7, 45)
# Past this many words a sentence loses a little per word: the centroid favours long ones.
LONG_WORDS, LONG_PENALTY = 28, 0.004


@dataclass(frozen=True)
class PaperText:
    paper_id: int
    title: str
    abstract: str
    # The paper's embedding when search has made it already (a quarter of the cost saved).
    vector: Vectors | None = field(default=None, compare=False)


@dataclass
class Summary:
    paper_id: int
    sentence: str
    keywords: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    """One paper's texts to embed, as positions in the batch's one list of texts."""

    paper: PaperText
    document: int
    sentences: list[str]
    sentence_rows: list[int]
    candidates: list[Candidate]
    candidate_rows: list[int]


def method_id(embedder: Embedder) -> str:
    """What made a summary: stored with it, so a better method can redo older ones."""
    return f"{METHOD}/{embedder.model_id}"


def summarize(papers: list[PaperText], embedder: Embedder) -> list[Summary]:
    """Summaries of `papers`, in order, with one embedding call for the whole batch."""
    texts: list[str] = []
    plans = [_plan(paper, texts) for paper in papers]
    vectors = _embed(embedder, texts)
    return [_choose(plan, vectors) for plan in plans]


def _embed(embedder: Embedder, texts: list[str]) -> Vectors:
    """The texts' vectors; none (an empty matrix) when there is no model to run."""
    try:
        return embedder.embed(texts) if texts else np.zeros((0, 0), dtype=np.float32)
    except EmbedderUnavailable:
        return np.zeros((0, 0), dtype=np.float32)


def _plan(paper: PaperText, texts: list[str]) -> _Plan:
    def add(items: list[str]) -> list[int]:
        texts.extend(items)
        return list(range(len(texts) - len(items), len(texts)))

    sentences = split_sentences(paper.abstract)
    found = candidates(paper.title, paper.abstract)
    document = -1 if paper.vector is not None else add([paper_text(paper.title, paper.abstract)])[0]
    # One sentence needs no choosing; an empty text none.
    sentence_rows = add(sentences) if len(sentences) > 1 else []
    return _Plan(paper, document, sentences, sentence_rows, found, add([c.text for c in found]))


def _choose(plan: _Plan, vectors: Vectors) -> Summary:
    document = None
    if len(vectors):  # else there is no model to run: choose without it
        document = plan.paper.vector if plan.paper.vector is not None else vectors[plan.document]
    return Summary(
        paper_id=plan.paper.paper_id,
        sentence=_central_sentence(plan, vectors, document),
        keywords=_keyphrases(plan, vectors, document),
    )


def _central_sentence(plan: _Plan, vectors: Vectors, document: Vectors | None) -> str:
    if not plan.sentences:
        return ""
    if document is None or not plan.sentence_rows:
        return tidy_summary(plan.sentences[0])
    lengths = np.array([word_count(s) for s in plan.sentences])
    scores = vectors[plan.sentence_rows] @ document
    scores = scores - LONG_PENALTY * np.maximum(lengths - LONG_WORDS, 0)
    low, high = READABLE_WORDS
    readable = (lengths >= low) & (lengths <= high)
    if any(readable):
        scores = np.where(readable, scores, scores - 1.0)
    return tidy_summary(plan.sentences[int(np.argmax(scores))])


def _keyphrases(plan: _Plan, vectors: Vectors, document: Vectors | None) -> list[str]:
    if not plan.candidates:
        return []
    if document is None:  # no model: the phrases' own ranking, as many as the fewest kept
        matrix = np.eye(len(plan.candidates), dtype=np.float32)
        relevance = np.linspace(1.0, 0.5, len(plan.candidates), dtype=np.float32)
    else:
        matrix = vectors[plan.candidate_rows]
        relevance = matrix @ document
    chosen: list[int] = []
    for _ in range(len(plan.candidates)):
        pick = _next_pick(matrix, relevance, chosen, plan.candidates)
        if pick is None:
            break
        if (
            len(chosen) >= MIN_KEYWORDS
            and relevance[pick] < EXTRA_KEYWORD_RATIO * relevance[chosen[0]]
        ):
            break
        chosen.append(pick)
        if len(chosen) == MAX_KEYWORDS:
            break
    return [plan.candidates[i].text for i in chosen]


def _next_pick(
    matrix: Vectors, relevance: Vectors, chosen: list[int], found: list[Candidate]
) -> int | None:
    """Maximal marginal relevance, skipping a phrase that repeats a kept one's words."""
    scores = relevance.copy() * (1 - DIVERSITY)
    if chosen:
        scores -= DIVERSITY * (matrix @ matrix[chosen].T).max(axis=1)
    kept = [_stems(found[i].text) for i in chosen]
    for index in np.argsort(-scores):
        stems = _stems(found[int(index)].text)
        if int(index) not in chosen and not any(_repeats(stems, k) for k in kept):
            return int(index)
    return None


def _repeats(stems: frozenset[str], kept: frozenset[str]) -> bool:
    return stems <= kept or kept <= stems or len(stems & kept) >= 2


def _stems(phrase: str) -> frozenset[str]:
    """The phrase's words, plurals and case folded ("Networks" is "network")."""
    return frozenset(re.sub(r"(?<=[a-z]{3})(?:ies|es|s)$", "", w) for w in phrase.lower().split())

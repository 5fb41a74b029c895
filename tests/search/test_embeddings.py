"""The shipped sentence-embedding model, run the way the product runs it (no torch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tokenizers import Tokenizer

from dailypapers.search.embeddings import (
    MAX_TOKENS,
    MODEL_DIRECTORY,
    EmbedderUnavailable,
    NullEmbedder,
    OnnxEmbedder,
    paper_text,
)

SHORT = "Attention is all you need."
ABSTRACT = (
    "The dominant sequence transduction models are based on complex recurrent or convolutional "
    "neural networks that include an encoder and a decoder. The best performing models also "
    "connect the encoder and decoder through an attention mechanism. We propose a new simple "
    "network architecture, the Transformer, based solely on attention mechanisms, dispensing "
    "with recurrence and convolutions entirely. Experiments on two machine translation tasks "
    "show these models to be superior in quality while being more parallelizable and requiring "
    "significantly less time to train."
)
CLAIM = "Vitamin D supplementation lowers the risk of fractures in older adults."
PARAPHRASE = "Giving elderly people vitamin D supplements reduces how often they break bones."
UNRELATED = "A new planetary nebula was found in the outer halo of the Andromeda galaxy."


@pytest.fixture(scope="module")
def embedder() -> OnnxEmbedder:
    return OnnxEmbedder(threads=1)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_vectors_are_384_dimensional_unit_float32(embedder: OnnxEmbedder) -> None:
    vectors = embedder.embed([SHORT, ABSTRACT, CLAIM])
    assert embedder.dimension == 384
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert cosine(vectors[0], vectors[1]) < 0.99  # different texts, different vectors


def test_padding_and_batch_order_do_not_change_a_vector(embedder: OnnxEmbedder) -> None:
    alone = embedder.embed([CLAIM])[0]
    longer = [ABSTRACT, ABSTRACT + " " + ABSTRACT, PARAPHRASE]
    in_batch = embedder.embed([*longer, CLAIM])
    reordered = embedder.embed([CLAIM, *reversed(longer)])
    assert cosine(alone, in_batch[3]) > 0.999
    assert cosine(alone, reordered[0]) > 0.999
    assert cosine(in_batch[0], reordered[3]) > 0.999  # rows come back in input order


def test_a_vector_does_not_depend_on_its_batch_mates_or_threads() -> None:
    alone = OnnxEmbedder(threads=1).embed([CLAIM])[0]
    mates = [ABSTRACT, SHORT, CLAIM, PARAPHRASE, UNRELATED, ABSTRACT + " " + ABSTRACT]
    together = OnnxEmbedder(threads=2).embed(mates)
    # One text per model run, so its int8 activation scales are its own: the same bits.
    assert np.array_equal(together[2], alone)


def test_many_texts_come_back_in_input_order() -> None:
    # Lengths from 3 to 250 tokens in shuffled order: sorting by length must be undone.
    words = ABSTRACT.split()
    texts = [f"{i} " + " ".join(words[: (i * 37) % len(words) + 1]) for i in range(40)]
    together = OnnxEmbedder(threads=2).embed(texts)
    one_by_one = OnnxEmbedder(threads=1)
    assert all(np.array_equal(together[i], one_by_one.embed([t])[0]) for i, t in enumerate(texts))


def test_bigger_batches_keep_input_order_within_quantization_noise() -> None:
    texts = [CLAIM, ABSTRACT, SHORT, PARAPHRASE, UNRELATED]
    one_by_one = OnnxEmbedder(threads=1).embed(texts)
    batched = OnnxEmbedder(threads=2, batch_size=2).embed(texts)
    # Batch mates share int8 activation scales, hence batch size 1 by default.
    assert min(cosine(a, b) for a, b in zip(one_by_one, batched, strict=True)) > 0.98
    assert cosine(one_by_one[0], batched[3]) < 0.9  # row 0 is the claim, not the paraphrase


def test_a_paraphrase_is_closer_than_an_unrelated_text(embedder: OnnxEmbedder) -> None:
    claim, paraphrase, unrelated = embedder.embed([CLAIM, PARAPHRASE, UNRELATED])
    assert cosine(claim, paraphrase) > 0.6
    assert cosine(claim, unrelated) < 0.2
    title, abstract = embedder.embed([SHORT, ABSTRACT])
    assert cosine(title, abstract) > cosine(title, unrelated)


def test_texts_past_the_token_limit_are_truncated(embedder: OnnxEmbedder) -> None:
    long_text = " ".join([ABSTRACT] * 6)
    assert len(embedder.tokenizer.encode(long_text).ids) == MAX_TOKENS
    longer = embedder.embed([long_text, long_text + " " + UNRELATED])
    assert cosine(longer[0], longer[1]) > 0.9999  # the tail past 256 tokens is cut off
    assert cosine(longer[0], embedder.embed([ABSTRACT])[0]) > 0.8


def test_empty_inputs(embedder: OnnxEmbedder) -> None:
    empty = embedder.embed([""])
    assert empty.shape == (1, 384)
    assert np.isfinite(empty).all()
    assert np.linalg.norm(empty[0]) == pytest.approx(1.0, abs=1e-5)
    assert embedder.embed([]).shape == (0, 384)


def test_shipped_tokenizer_truncates_at_256_and_pads_per_batch() -> None:
    tokenizer = Tokenizer.from_file(str(MODEL_DIRECTORY / "tokenizer.json"))
    short, long = tokenizer.encode_batch([SHORT, " ".join([ABSTRACT] * 6)])
    assert len(long.ids) == len(short.ids) == MAX_TOKENS
    assert len(tokenizer.encode_batch([SHORT, CLAIM])[0].ids) < 32
    assert tokenizer.encode(SHORT).tokens[:3] == ["[CLS]", "attention", "is"]


def test_a_missing_model_makes_the_embedder_unavailable(tmp_path: Path) -> None:
    with pytest.raises(EmbedderUnavailable, match="no model.onnx"):
        OnnxEmbedder(tmp_path)


def test_null_embedder_is_never_available() -> None:
    with pytest.raises(EmbedderUnavailable, match="switched off"):
        NullEmbedder("semantic search is switched off").embed([CLAIM])


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        (
            "Attention Is All You\n  Need",
            " The dominant\nmodels. ",
            "Attention Is All You Need. The dominant models.",
        ),
        ("What is a claim?", "We ask.", "What is a claim? We ask."),
        ("A title.", "An abstract.", "A title. An abstract."),
        ("A title", "   ", "A title"),
        ("", "Only an abstract.", "Only an abstract."),
    ],
)
def test_paper_text_joins_title_and_abstract(title: str, abstract: str, expected: str) -> None:
    assert paper_text(title, abstract) == expected


def test_web_processes_embed_queries_on_their_own_thread_count(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dailypapers.search import engine

    settings.SEARCH_EMBEDDER = "onnx"
    settings.SEARCH_EMBED_THREADS, settings.SEARCH_QUERY_THREADS = 2, 1
    monkeypatch.setattr(engine, "_serving", False)
    assert engine.make_embedder().threads == 2  # type: ignore[attr-defined]
    engine.mark_serving()
    assert engine.make_embedder().threads == 1  # type: ignore[attr-defined]

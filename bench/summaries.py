"""Benchmark: quality and cost of the summaries and keywords (docs/summaries.md).

Usage: .venv/bin/python bench/summaries.py [--papers 200] [--seed 0] [--examples 6]
       [--data ../shared/data/arxiv/arxiv_metadata.jsonl.gz] [--threads 1]

On `--papers` random real arXiv papers, side by side with two baselines (the abstract's first
sentence; the five TF-IDF top terms, unigrams and bigrams, with document frequencies from
every paper of the file), it prints proxies that need no human judge:
- summary: how often it is the first sentence; its length; cosine to the whole paper;
- keywords: share with a word of the title; cosine of the keywords, joined, to the paper;
and, on the 30 papers of the recorded Hugging Face answer (tests/data), agreement with
Hugging Face's own ai_summary (word-overlap F1 and cosine) and ai_keywords (share of ours
that shares a word with theirs, and of their first six that shares one with ours).
Cost: CPU seconds per paper (time.process_time, one ONNX thread), model and the rest apart.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dailypapers.search.embeddings import OnnxEmbedder, paper_text  # noqa: E402
from dailypapers.summaries.phrases import STOP_WORDS  # noqa: E402
from dailypapers.summaries.sentences import split_sentences, tidy_summary  # noqa: E402
from dailypapers.summaries.summarizer import PaperText, Summary, summarize  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_metadata.jsonl.gz"
HF_ANSWER = ROOT / "tests" / "data" / "daily_papers_2026-06-12.json"
WORD = re.compile(r"[a-z][a-z0-9-]+")


@dataclass
class Output:
    summaries: list[str]
    keywords: list[list[str]]


def stem(word: str) -> str:
    return re.sub(r"(?<=[a-z]{3})(?:ies|es|s)$", "", word)


def content_words(text: str) -> set[str]:
    return {stem(w) for w in WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2}


def load_corpus(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt") as lines:
        return [json.loads(line) for line in lines]


def document_frequencies(corpus: list[dict[str, str]]) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter()
    for row in corpus:
        counts.update(set(terms(row["title"] + " . " + row["abstract"])))
    return counts, len(corpus)


def terms(text: str) -> list[str]:
    """Unigrams and bigrams of content words, not across punctuation."""
    found = []
    for chunk in re.split(r"[.,;:()!?\[\]$]", text.lower()):
        words = [w for w in WORD.findall(chunk)]
        for i, word in enumerate(words):
            if word in STOP_WORDS or len(word) < 3:
                continue
            found.append(word)
            if i + 1 < len(words) and words[i + 1] not in STOP_WORDS and len(words[i + 1]) > 2:
                found.append(word + " " + words[i + 1])
    return found


def tfidf_keywords(text: str, df: Counter[str], total: int, k: int = 5) -> list[str]:
    counts = Counter(terms(text))
    scored = {t: n * math.log(total / (1 + df[t])) for t, n in counts.items()}
    chosen: list[str] = []
    for term in sorted(scored, key=lambda t: -scored[t]):
        if not any(set(term.split()) & set(c.split()) for c in chosen):
            chosen.append(term)
        if len(chosen) == k:
            break
    return chosen


def first_sentence(abstract: str) -> str:
    sentences = split_sentences(abstract)
    return tidy_summary(sentences[0]) if sentences else ""


def ours(papers: list[PaperText], embedder: OnnxEmbedder) -> tuple[Output, float, float]:
    """Our summaries, with CPU seconds in total and inside the model."""
    inner = 0.0
    embed = embedder.embed

    def timed(texts: list[str]) -> np.ndarray:
        nonlocal inner
        start = time.process_time()
        try:
            return embed(texts)
        finally:
            inner += time.process_time() - start

    embedder.embed = timed  # type: ignore[method-assign]
    start = time.process_time()
    made: list[Summary] = []
    for i in range(0, len(papers), 64):  # as `summaries update` batches them
        made += summarize(papers[i : i + 64], embedder)
    total = time.process_time() - start
    embedder.embed = embed  # type: ignore[method-assign]
    return Output([s.sentence for s in made], [s.keywords for s in made]), total, inner


def cosines(embedder: OnnxEmbedder, left: list[str], right: list[str]) -> np.ndarray:
    a, b = embedder.embed([t or "-" for t in left]), embedder.embed([t or "-" for t in right])
    return np.sum(a * b, axis=1)


def f1(candidate: str, reference: str) -> float:
    a, b = content_words(candidate), content_words(reference)
    if not a or not b:
        return 0.0
    common = len(a & b)
    return 0.0 if not common else 2 * common / (len(a) + len(b))


def keyword_agreement(mine: list[list[str]], theirs: list[list[str]]) -> tuple[float, float]:
    precision, recall = [], []
    for a, b in zip(mine, theirs, strict=True):
        b = b[:6]
        words_b = set().union(*(content_words(k) for k in b)) if b else set()
        words_a = set().union(*(content_words(k) for k in a)) if a else set()
        precision += [bool(content_words(k) & words_b) for k in a]
        recall += [bool(content_words(k) & words_a) for k in b]
    return float(np.mean(precision)), float(np.mean(recall))


def title_share(keywords: list[list[str]], titles: list[str]) -> float:
    hits = [
        bool(content_words(k) & content_words(title))
        for words, title in zip(keywords, titles, strict=True)
        for k in words
    ]
    return float(np.mean(hits))


def report(args: argparse.Namespace) -> None:
    corpus = load_corpus(args.data)
    start = time.process_time()
    df, total = document_frequencies(corpus)
    df_seconds = time.process_time() - start
    rows = random.Random(args.seed).sample(corpus, args.papers)
    papers = [PaperText(i, r["title"], r["abstract"]) for i, r in enumerate(rows)]
    embedder = OnnxEmbedder(threads=args.threads, batch_size=32)
    summarize(papers[:4], embedder)  # warm the session up
    made, cpu, cpu_model = ours(papers, embedder)
    texts = [paper_text(p.title, p.abstract) for p in papers]
    # As `summaries update` runs once search has embedded the papers (docs/summaries.md).
    searched = OnnxEmbedder(threads=args.threads).embed(texts)
    with_vectors = [
        PaperText(p.paper_id, p.title, p.abstract, v) for p, v in zip(papers, searched, strict=True)
    ]
    _, cpu_reused, _ = ours(with_vectors, embedder)
    start = time.process_time()
    first = [first_sentence(p.abstract) for p in papers]
    tfidf = [tfidf_keywords(p.title + " . " + p.abstract, df, total) for p in papers]
    baseline_cpu = time.process_time() - start
    print(f"{len(papers)} random papers of {args.data.name} (seed {args.seed}), under load")
    print("\nsummary                          ours    first sentence")
    same = np.mean([a == b for a, b in zip(made.summaries, first, strict=True)])
    print(f"is the first sentence            {same:6.1%}  100%")
    words = lambda xs: np.mean([len(x.split()) for x in xs])  # noqa: E731
    print(f"mean words                       {words(made.summaries):6.1f}  {words(first):6.1f}")
    cut = np.mean([s.endswith("…") for s in made.summaries])
    cut_first = np.mean([s.endswith("…") for s in first])
    print(f"cut at 300 characters            {cut:6.1%}  {cut_first:6.1%}")
    ours_cos, first_cos = cosines(embedder, made.summaries, texts), cosines(embedder, first, texts)
    print(f"cosine to the whole paper (*)    {ours_cos.mean():6.3f}  {first_cos.mean():6.3f}")
    print("\nkeywords                         ours    TF-IDF top 5")
    count = np.mean([len(k) for k in made.keywords])
    print(f"per paper                        {count:6.2f}  {np.mean([len(k) for k in tfidf]):6.2f}")
    three_six = np.mean([3 <= len(k) <= 6 for k in made.keywords])
    print(f"3 to 6 of them                   {three_six:6.1%}")
    titles = [p.title for p in papers]
    print(
        f"share a word with the title      {title_share(made.keywords, titles):6.1%}  "
        f"{title_share(tfidf, titles):6.1%}"
    )
    joined = lambda ks: ["; ".join(k) for k in ks]  # noqa: E731
    k_ours, k_tfidf = (
        cosines(embedder, joined(made.keywords), texts),
        cosines(embedder, joined(tfidf), texts),
    )
    print(f"cosine of them to the paper (*)  {k_ours.mean():6.3f}  {k_tfidf.mean():6.3f}")
    print("(*) ours chooses by this cosine, so it favours ours by construction")
    hugging_face(embedder, df, total)
    print(
        f"\ncost: {cpu / len(papers) * 1000:.1f} ms CPU per paper "
        f"({cpu_model / len(papers) * 1000:.1f} ms in the model, one ONNX thread); "
        f"baselines {baseline_cpu / len(papers) * 1000:.2f} ms per paper "
        f"(+ {df_seconds:.0f} s CPU once for TF-IDF's document frequencies)"
    )
    print(
        f"  with search's vector of the paper reused: {cpu_reused / len(papers) * 1000:.1f} ms"
        " CPU per paper"
    )
    per_day, backfill = 1000 * cpu / len(papers), 180_936 * cpu / len(papers)
    print(
        f"  1,000 new papers a day: {per_day:.0f} CPU-s; backfill of 180,936: "
        f"{backfill / 3600:.1f} CPU-hours"
    )
    examples(papers, made, first, tfidf, args.examples)


def hugging_face(embedder: OnnxEmbedder, df: Counter[str], total: int) -> None:
    items = json.loads(HF_ANSWER.read_text())
    found = [i["paper"] for i in items if i["paper"].get("ai_summary")]
    papers = [PaperText(n, p["title"], p["summary"]) for n, p in enumerate(found)]
    made = summarize(papers, embedder)
    hf_sum = [p["ai_summary"] for p in found]
    hf_kw = [list(p.get("ai_keywords") or []) for p in found]
    first = [first_sentence(p.abstract) for p in papers]
    tfidf = [tfidf_keywords(p.title + " . " + p.abstract, df, total) for p in papers]
    ours_s = [s.sentence for s in made]
    print(f"\nagainst Hugging Face's ai_summary / ai_keywords ({len(found)} papers, tests/data)")
    print("                                 ours    baseline")
    f1_ours = np.mean([f1(a, b) for a, b in zip(ours_s, hf_sum, strict=True)])
    f1_first = np.mean([f1(a, b) for a, b in zip(first, hf_sum, strict=True)])
    print(f"summary word-overlap F1          {f1_ours:6.3f}  {f1_first:6.3f}")
    print(
        f"summary cosine                   {cosines(embedder, ours_s, hf_sum).mean():6.3f}"
        f"  {cosines(embedder, first, hf_sum).mean():6.3f}"
    )
    p_ours, r_ours = keyword_agreement([s.keywords for s in made], hf_kw)
    p_tfidf, r_tfidf = keyword_agreement(tfidf, hf_kw)
    print(f"keywords sharing a word with HF  {p_ours:6.1%}  {p_tfidf:6.1%}")
    print(f"HF's first 6 found in ours       {r_ours:6.1%}  {r_tfidf:6.1%}")


def examples(
    papers: list[PaperText], made: Output, first: list[str], tfidf: list[list[str]], count: int
) -> None:
    for i in range(min(count, len(papers))):
        print(f"\n## {papers[i].title}")
        print(f"ours:  {made.summaries[i]}")
        if first[i] != made.summaries[i]:
            print(f"first: {first[i]}")
        print(f"keywords: {'; '.join(made.keywords[i])}")
        print(f"TF-IDF:   {'; '.join(tfidf[i])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--papers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--examples", type=int, default=6)
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"No arXiv metadata at {args.data}: pass --data FILE.jsonl.gz.")
    report(args)


if __name__ == "__main__":
    main()

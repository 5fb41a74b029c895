"""The offline evaluation of bench/recommend.py (issue 13): authors are readers whose
interests we know. For every author with at least 8 papers in the arXiv file, seed with all
but their newest 2, rank every paper that entered the feed in the weeks of those 2 (their
seeds left out, as /for-you leaves out what a member already has), and score where the
held-out pair lands: recall@20 and nDCG@20, averaged over authors, for four rankers.

- popularity: the feed's order for everyone (upvotes, then newest); the file carries no
  upvotes, so newest first.
- svm: arxiv-sanity-lite's serve.py svm_rank: TF-IDF (compute.py's settings) over title and
  abstract, LinearSVC(class_weight="balanced", C=0.01, tol=1e-6, max_iter=10000) with the seeds
  positive and every other paper of the ranked set negative, ranked by decision_function.
- centroid: cosine to the mean seed vector.
- dailypapers: recommend/scoring.py score_candidates, the function /for-you ranks with: the
  product's term rows of title, abstract and comment (recommend/terms.py, the term counts taken over
  the file as recommend/vocabulary.py takes them over the papers table) and the vectors.
"""

from __future__ import annotations

import gzip
import json
import math
import multiprocessing
import sys
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from dailypapers.recommend.scoring import Papers

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_metadata.jsonl.gz"
MIN_PAPERS = 8
HELD_OUT = 2
K = 20
CHUNK = 2000
METHODS = ("popularity", "svm", "centroid", "dailypapers")


def log(message: str) -> None:
    print(f"[recommend] {message}", file=sys.stderr, flush=True)


@dataclass
class Corpus:
    titles: list[str]
    abstracts: list[str]
    comments: list[str]
    texts: list[str]  # title and abstract, what the TF-IDF reads
    days: np.ndarray  # feed day ordinal per paper
    weeks: np.ndarray  # Monday ordinal of the feed week
    published: np.ndarray  # newest-first key for the popularity order
    authors: dict[str, list[int]] = field(default_factory=dict)


def load(path: Path = DATA) -> Corpus:
    titles, abstracts, comments, texts, days, published = [], [], [], [], [], []
    authors: dict[str, list[int]] = defaultdict(list)
    with gzip.open(path, "rt") as lines:
        for row, line in enumerate(lines):
            paper = json.loads(line)
            titles.append(paper["title"])
            abstracts.append(paper.get("abstract") or "")
            comments.append(paper.get("comment") or "")
            texts.append(f"{paper['title']} {paper.get('abstract') or ''}")
            # The feed day as the ingest sets it (ingest/sources/jsonl.py): first seen, else
            # published (the announcement day is within a day or two of it).
            seen = paper.get("first_seen") or paper.get("published")
            day = date.fromisoformat(seen[:10]).toordinal()
            days.append(day)
            published.append(
                date.fromisoformat(paper["published"][:10]).toordinal()
                if paper.get("published")
                else day
            )
            for name in dict.fromkeys(paper.get("authors") or []):
                authors[name].append(row)
    day_array = np.array(days, dtype=np.int64)
    weeks = day_array - (day_array - 1) % 7  # ordinal 1 (0001-01-01) was a Monday
    kept = {name: rows for name, rows in authors.items() if len(rows) >= MIN_PAPERS}
    return Corpus(titles, abstracts, comments, texts, day_array, weeks, np.array(published), kept)


def vectors(corpus: Corpus, cache: Path, text: str) -> np.ndarray:
    """The product's embedding of every paper (title, or title and abstract), computed once
    in CHUNK-row files under cache/<text>/ and read back on later runs."""
    from dailypapers.search.embeddings import OnnxEmbedder, paper_text

    folder = cache / text
    folder.mkdir(parents=True, exist_ok=True)
    embedder = None
    parts = []
    for start in range(0, len(corpus.titles), CHUNK):
        path = folder / f"{start:07d}.npy"
        if not path.exists():
            embedder = embedder or OnnxEmbedder()
            rows = range(start, min(start + CHUNK, len(corpus.titles)))
            inputs = [
                corpus.titles[i]
                if text == "title"
                else paper_text(corpus.titles[i], corpus.abstracts[i])
                for i in rows
            ]
            partial = path.with_suffix(".partial.npy")  # a run killed mid-write leaves no chunk
            np.save(partial, embedder.embed(inputs))
            partial.replace(path)
            log(f"embedded {rows.stop:,} of {len(corpus.titles):,}")
        parts.append(np.load(path))
    return np.concatenate(parts).astype(np.float32)


def term_rows(corpus: Corpus, cache: Path):  # type: ignore[no-untyped-def]
    """The product's weighted term rows of every paper (recommend/terms.py), with the term
    counts recommend/vocabulary.py would keep for these papers; computed once into the cache
    (about 3 CPU minutes) and read back on later runs."""
    import inspect
    import zlib

    from dailypapers.recommend import terms

    version = zlib.crc32(inspect.getsource(terms).encode())  # a changed tokenizer: new rows
    path = cache / f"terms-{len(corpus.titles)}-{version:08x}.npz"
    if path.exists():
        saved = np.load(path)
        return terms.TermMatrix(saved["indptr"], saved["ids"], saved["weights"])
    texts = list(zip(corpus.titles, corpus.abstracts, corpus.comments, strict=True))
    counts = np.zeros(terms.BUCKETS, np.int32)
    for text in texts:  # held in chunks below: 180,936 Counters take gigabytes
        counts[list(terms.term_counts(*text))] += 1
    parts = [
        terms.weigh([terms.counted(*t) for t in texts[i : i + CHUNK]], counts, len(texts))
        for i in range(0, len(texts), CHUNK)
    ]
    lengths = np.concatenate([np.diff(part.indptr) for part in parts])
    matrix = terms.TermMatrix(
        np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        np.concatenate([part.ids for part in parts]),
        np.concatenate([part.weights for part in parts]),
    )
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, indptr=matrix.indptr, ids=matrix.ids, weights=matrix.weights)
    return matrix


def tfidf(corpus: Corpus, cache: Path, fit_docs: int, seed: int):  # type: ignore[no-untyped-def]
    """compute.py's vectorizer (fitted on a random subset, its --max_docs) over every paper,
    computed once into the cache (6 minutes under load) and read back on later runs."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    path = cache / f"tfidf-{len(corpus.texts)}-{fit_docs}-{seed}.npz"
    if path.exists():
        return sparse.load_npz(path).tocsr()

    vectorizer = TfidfVectorizer(
        input="content",
        encoding="utf-8",
        decode_error="replace",
        strip_accents="unicode",
        lowercase=True,
        analyzer="word",
        stop_words="english",
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
        ngram_range=(1, 2),
        max_features=20000,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=True,
        max_df=0.1,
        min_df=5,
    )
    rng = np.random.default_rng(seed)
    sample = rng.choice(len(corpus.texts), size=min(fit_docs, len(corpus.texts)), replace=False)
    vectorizer.fit(corpus.texts[i] for i in sample)
    matrix = vectorizer.transform(corpus.texts).astype(np.float32).tocsr()
    cache.mkdir(parents=True, exist_ok=True)
    sparse.save_npz(path, matrix)
    return matrix


@dataclass
class Case:
    seeds: np.ndarray
    held_out: np.ndarray
    weeks: tuple[int, ...]  # the held-out pair's feed weeks (Monday ordinals)
    week_rows: np.ndarray  # those weeks' papers, ascending; shared by the cases of the weeks

    @property
    def kept(self) -> np.ndarray:
        """Which of week_rows are ranked: all but the seeds."""
        return ~np.isin(self.week_rows, self.seeds)

    @property
    def pool(self) -> np.ndarray:
        """The ranked set: the held-out weeks' papers, seeds left out."""
        return self.week_rows[self.kept]


def cases(corpus: Corpus) -> list[Case]:
    by_week: dict[int, list[int]] = defaultdict(list)
    for row, week in enumerate(corpus.weeks.tolist()):
        by_week[week].append(row)
    week_rows: dict[tuple[int, ...], np.ndarray] = {}
    out = []
    for rows in corpus.authors.values():
        ordered = sorted(rows, key=lambda r: (corpus.days[r], r))
        seeds, held = np.array(ordered[:-HELD_OUT]), np.array(ordered[-HELD_OUT:])
        weeks = tuple(sorted({int(corpus.weeks[r]) for r in held}))
        if weeks not in week_rows:
            week_rows[weeks] = np.sort(np.concatenate([by_week[w] for w in weeks]))
        out.append(Case(seeds, held, weeks, week_rows[weeks]))
    return out


def metrics(ranked: np.ndarray, held: np.ndarray) -> tuple[float, float]:
    top = ranked[:K]
    hits = np.isin(top, held)
    recall = hits.sum() / len(held)
    dcg = sum(1 / math.log2(i + 2) for i in np.flatnonzero(hits))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(held), K)))
    return float(recall), float(dcg / ideal)


# Set in the parent before the workers fork, so they share the arrays without copying.
_shared: dict[str, object] = {}


# Per worker: the last weeks' rows taken out of the shared arrays. The cases run sorted by
# their weeks, so most cases of a worker's chunk reuse them; the dailypapers and centroid
# scores of a candidate do not depend on the other candidates, so the weeks' papers are
# scored once per case and the seeds' rows dropped.
_taken: dict[str, object] = {}
# Per worker: single weeks' papers with their term rows inverted, the WEEKS_KEPT last used.
# Most cases rank two weeks, in 1,775 combinations of 111 weeks: inverted per combination,
# the candidates' rows took a third of the run (bench/recommend.py profiled with py-spy,
# docs/recommend.md "Speed of the evaluation").
_weeks: OrderedDict[int, tuple[np.ndarray, Papers]] = OrderedDict()
WEEKS_KEPT = 24


def evaluate(case: Case) -> dict[str, tuple[float, float]]:
    from sklearn import config_context, svm

    from dailypapers.recommend.scoring import score_candidates

    corpus: Corpus = _shared["corpus"]  # type: ignore[assignment]
    dense: np.ndarray = _shared["vectors"]  # type: ignore[assignment]
    papers: Papers = _shared["papers"]  # type: ignore[assignment]
    sparse = _shared["tfidf"]
    if _taken.get("weeks") != case.weeks:
        rows = case.week_rows
        _taken.update(weeks=case.weeks, vectors=dense[rows])
    kept, pool = case.kept, case.pool
    results = {}
    newest = pool[np.lexsort((-pool, -corpus.published[pool]))]
    results["popularity"] = metrics(newest, case.held_out)
    rows = np.concatenate([case.seeds, pool])
    labels = np.zeros(len(rows), dtype=np.float32)
    labels[: len(case.seeds)] = 1
    classifier = svm.LinearSVC(class_weight="balanced", max_iter=10000, tol=1e-6, C=0.01)
    # The same fit without scikit-learn's checks of its arguments and of finite values
    # (about 4% of the run): the rows are the cached TF-IDF's, the same every time.
    with config_context(assume_finite=True, skip_parameter_validation=True):
        classifier.fit(sparse[rows], labels)  # type: ignore[index]
        decision = classifier.decision_function(sparse[pool])  # type: ignore[index]
    results["svm"] = metrics(pool[np.argsort(-decision, kind="stable")], case.held_out)
    centre = dense[case.seeds].mean(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    close = (_taken["vectors"] @ centre)[kept]  # type: ignore[operator]
    results["centroid"] = metrics(pool[np.argsort(-close, kind="stable")], case.held_out)
    seeds = papers.take(case.seeds)
    ours = np.empty(len(case.week_rows))
    for week in case.weeks:
        rows, week_papers = _week(week, corpus, papers)
        ours[np.searchsorted(case.week_rows, rows)] = score_candidates(seeds, week_papers).scores
    ours = ours[kept]
    results["dailypapers"] = metrics(pool[np.argsort(-ours, kind="stable")], case.held_out)
    return results


def _week(week: int, corpus: Corpus, papers: Papers) -> tuple[np.ndarray, Papers]:
    """One feed week's rows (ascending) and papers, their term rows inverted once a worker."""
    if week not in _weeks:
        rows = np.flatnonzero(corpus.weeks == week)
        taken = papers.take(rows)
        taken.inverted()
        _weeks[week] = (rows, taken)
        if len(_weeks) > WEEKS_KEPT:
            _weeks.popitem(last=False)
    _weeks.move_to_end(week)
    return _weeks[week]


def run(cache: Path, text: str, workers: int, limit: int | None, seed: int) -> dict[str, object]:
    started = time.perf_counter()
    corpus = load()
    log(f"{len(corpus.titles):,} papers, {len(corpus.authors):,} authors with >= {MIN_PAPERS}")
    from dailypapers.recommend.scoring import Papers

    _shared["vectors"] = vectors(corpus, cache, text)
    _shared["papers"] = Papers(_shared["vectors"], term_rows(corpus, cache))  # type: ignore[arg-type]
    # float64 once, as liblinear reads it: else every author's fit converts its rows again.
    _shared["tfidf"] = tfidf(corpus, cache, 50_000, seed).astype(np.float64)
    _shared["corpus"] = corpus
    log(f"features ready in {time.perf_counter() - started:.0f} s")
    todo = cases(corpus)
    if limit:
        rng = np.random.default_rng(seed)
        todo = [todo[i] for i in sorted(rng.choice(len(todo), size=limit, replace=False))]
    todo.sort(key=lambda case: case.weeks)  # neighbours share their weeks' rows (_taken)
    sums = {m: [0.0, 0.0] for m in METHODS}
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for done, result in enumerate(pool.imap_unordered(evaluate, todo, chunksize=64), 1):
            for method, (recall, ndcg) in result.items():
                sums[method][0] += recall
                sums[method][1] += ndcg
            if done % 2000 == 0:
                log(f"{done:,} of {len(todo):,} authors, {time.perf_counter() - started:.0f} s")
    n = len(todo)
    return {
        "authors": n,
        "recall@20": {m: round(sums[m][0] / n, 4) for m in METHODS},
        "ndcg@20": {m: round(sums[m][1] / n, 4) for m in METHODS},
        "seconds": round(time.perf_counter() - started),
        "pool_median": int(np.median([int(c.kept.sum()) for c in todo])),
    }

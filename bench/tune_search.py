"""Tuning: search quality on BEIR SciFact train for a grid of lexical boosts and fusion settings.

Usage: .venv/bin/python bench/tune_search.py [--data DIR] [--split train] [--workdir DIR]
Loads the corpus into a SQLite database in --workdir (kept, so a second run skips the
minutes of embedding), then ranks every judged query with the site's code: lexical for each
title boost, dense once, and hybrid for each fusion setting, fused the way search/hybrid.py
fuses. The best setting is then run again end to end through hybrid.ranked_paper_ids.
Prints Markdown tables, the last one for the shipped setting (lexical.FIELD_BOOSTS and the
SEARCH_* settings from the environment, candidates from TUNE_CANDIDATES, default 100).
Tune on train only: the SciFact test qrels are withheld.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dailypapers.search.evaluate import (
    RECALL_DEPTH,
    BeirDataset,
    EvalResult,
    load_beir,
    score_rankings,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "scifact"
MAX_CANDIDATES = 200
TITLE_BOOSTS = (0.3, 0.5, 0.75, 1.0, 1.5, 2.0)
RRF_KS = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 60.0)
LEXICAL_WEIGHTS = (0.75, 1.0, 1.25, 1.5)  # the dense weight stays 1.0
CANDIDATES = (50, 100, 200)
SCORE_SHARES = (0.4, 0.5, 0.6)  # lexical share in normalized score fusion
# The tables compare with the settings the site ships: lexical.FIELD_BOOSTS and the
# SEARCH_RRF_K / SEARCH_LEXICAL_WEIGHT / SEARCH_DENSE_WEIGHT settings (environment).

Ranked = list[tuple[int, float]]  # (paper id, score), best first
Rankings = dict[str, Ranked]  # per query id
Fuse = Callable[[Ranked, Ranked], list[int]]


@dataclass
class Setting:
    title_boost: float
    k: float
    lexical_weight: float
    candidates: int


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="train")
    parser.add_argument("--workdir", type=Path, help="Keep the database and index here.")
    args = parser.parse_args()
    if not (args.data / "qrels" / f"{args.split}.tsv").is_file():
        print(f"benchmark data missing: {args.data} (it lives in ../shared/data/scifact)")
        return 2
    configure(args.workdir or Path(tempfile.mkdtemp(prefix="dailypapers-tune-")))
    dataset = load_beir(args.data, args.split)
    beir_ids = prepare(dataset)
    print(
        f"command: .venv/bin/python {' '.join(sys.argv)}\n\ndata: {args.data}, split "
        f"{args.split}: {len(dataset.queries)} judged queries, {len(dataset.documents)} documents\n"
    )
    lexical = lexical_grid(dataset, beir_ids)
    if not embedder_available():
        print("no embedding model here: dense and hybrid left out")
        return 0
    dense = site_rankings(dataset, "dense")
    shipped = shipped_setting()
    if shipped.title_boost not in lexical:
        lexical[shipped.title_boost] = lexical_rankings(dataset, shipped.title_boost)
    rrf_grid(dataset, beir_ids, lexical, dense, shipped)
    score_fusion_grid(dataset, beir_ids, lexical[shipped.title_boost], dense)
    check_site_path(dataset, beir_ids, shipped, lexical[shipped.title_boost], dense)
    return 0


def configure(workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DAILYPAPERS_DATA_DIR=str(workdir),
        SEARCH_INDEX_DIR=str(workdir / "search"),
        DATABASE_URL=f"sqlite:///{workdir / 'tune.sqlite3'}",
        SEARCH_CANDIDATES=str(MAX_CANDIDATES),
        SEARCH_EMBED_BUDGET_MS="120000",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    import django

    django.setup()


def prepare(dataset: BeirDataset) -> dict[int, str]:
    """The corpus loaded and indexed (once per workdir); returns paper id -> BEIR id."""
    from django.core.management import call_command

    from dailypapers.papers.models import Paper
    from dailypapers.search.evaluate import index_corpus, load_corpus

    call_command("migrate", verbosity=0)
    if not Paper.objects.exists():
        load_corpus(dataset.documents, progress=True)
    started = time.perf_counter()
    index_corpus(progress=True)
    print(f"indexing took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return dict(Paper.objects.values_list("id", "arxiv_id"))


def embedder_available() -> bool:
    from dailypapers.search.embeddings import NullEmbedder
    from dailypapers.search.engine import get_engine

    return not isinstance(get_engine().embedder, NullEmbedder)


def site_rankings(dataset: BeirDataset, mode: str) -> Rankings:
    """What hybrid._ranked_ids gets from each side, MAX_CANDIDATES long, with scores."""
    from dailypapers.search.engine import get_engine
    from dailypapers.search.query import parse_query

    engine, rankings = get_engine(), {}
    for query_id, text in dataset.queries.items():
        query = parse_query(text)
        try:
            if mode == "lexical":
                hits = engine.lexical.search(query, MAX_CANDIDATES)
                rankings[query_id] = [(hit.paper_id, hit.score) for hit in hits]
            else:
                vector = engine.embed_query(query.text, 120_000)
                rankings[query_id] = engine.vector_search(vector, MAX_CANDIDATES)
        except ValueError:  # the query the site fails on scores 0 (docs/search.md)
            rankings[query_id] = []
    return rankings


def score(
    dataset: BeirDataset, beir_ids: dict[int, str], mode: str, ranked: dict[str, list[int]]
) -> EvalResult:
    as_beir = {query: [beir_ids[pk] for pk in ids[:RECALL_DEPTH]] for query, ids in ranked.items()}
    return score_rankings(mode, as_beir, dataset.qrels)


def ids_of(rankings: Rankings) -> dict[str, list[int]]:
    return {query: [pk for pk, _ in ranked] for query, ranked in rankings.items()}


def lexical_rankings(
    dataset: BeirDataset, title_boost: float, stop_words: frozenset[str] | None = None
) -> Rankings:
    """The lexical lists with another title boost (and stop words), through lexical.py."""
    from dailypapers.search import lexical

    shipped_boosts, shipped_stop_words = dict(lexical.FIELD_BOOSTS), lexical.STOP_WORDS
    lexical.FIELD_BOOSTS = {**shipped_boosts, "title": title_boost}
    lexical.STOP_WORDS = shipped_stop_words if stop_words is None else stop_words
    try:
        return site_rankings(dataset, "lexical")
    finally:
        lexical.FIELD_BOOSTS, lexical.STOP_WORDS = shipped_boosts, shipped_stop_words


def lexical_grid(dataset: BeirDataset, beir_ids: dict[int, str]) -> dict[float, Rankings]:
    from dailypapers.search import lexical

    print(f"### Lexical alone (shipped FIELD_BOOSTS: {lexical.FIELD_BOOSTS})\n")
    print("| title boost | stop words | nDCG@10 | Recall@100 |\n|---:|---|---:|---:|")
    runs = {}
    for boost, stop_words in [*((b, "shipped") for b in TITLE_BOOSTS), (0.75, "none")]:
        rankings = lexical_rankings(
            dataset, boost, None if stop_words == "shipped" else frozenset()
        )
        result = score(dataset, beir_ids, "lexical", ids_of(rankings))
        if stop_words == "shipped":
            runs[boost] = rankings
        print(
            f"| {boost:g} | {stop_words} | {result.ndcg_at_10:.4f} | {result.recall_at_100:.4f} |"
        )
    print()
    return runs


def shipped_setting() -> Setting:
    from django.conf import settings

    from dailypapers.search import lexical

    return Setting(
        lexical.FIELD_BOOSTS["title"],
        settings.SEARCH_RRF_K,
        settings.SEARCH_LEXICAL_WEIGHT / settings.SEARCH_DENSE_WEIGHT,
        int(os.environ.get("TUNE_CANDIDATES", "100")),
    )


def fused(lexical: Rankings, dense: Rankings, candidates: int, fuse: Fuse) -> dict[str, list[int]]:
    return {
        query: fuse(lexical[query][:candidates], dense[query][:candidates]) for query in lexical
    }


def rrf(k: float, weight: float) -> Fuse:
    from dailypapers.search.fusion import reciprocal_rank_fusion

    def fuse(lexical: Ranked, dense: Ranked) -> list[int]:
        lists = [[pk for pk, _ in lexical], [pk for pk, _ in dense]]
        return [pk for pk, _ in reciprocal_rank_fusion(lists, [weight, 1.0], k=k)]

    return fuse


def rrf_grid(
    dataset: BeirDataset,
    beir_ids: dict[int, str],
    lexical: dict[float, Rankings],
    dense: Rankings,
    shipped: Setting,
) -> None:
    results = []
    grid = itertools.product(sorted(lexical), RRF_KS, LEXICAL_WEIGHTS, CANDIDATES)
    for boost, k, weight, candidates in grid:
        ranked = fused(lexical[boost], dense, candidates, rrf(k, weight))
        results.append(
            (Setting(boost, k, weight, candidates), score(dataset, beir_ids, "hybrid", ranked))
        )
    results.sort(key=lambda pair: -pair[1].ndcg_at_10)
    print(f"### Hybrid, reciprocal rank fusion, dense weight 1: best 12 of {len(results)}\n")
    _print_settings(results[:12])
    print("### The same, best setting for each title boost\n")
    _print_settings([next(p for p in results if p[0].title_boost == b) for b in sorted(lexical)])
    print(f"### The same, best setting for each k (title boost {shipped.title_boost:g})\n")
    at_boost = [pair for pair in results if pair[0].title_boost == shipped.title_boost]
    _print_settings([next(pair for pair in at_boost if pair[0].k == k) for k in RRF_KS])


def _print_settings(rows: list[tuple[Setting, EvalResult]]) -> None:
    print("| title boost | k | lexical weight | candidates | nDCG@10 | Recall@100 |")
    print("|---:|---:|---:|---:|---:|---:|")
    for setting, result in rows:
        print(
            f"| {setting.title_boost:g} | {setting.k:g} | {setting.lexical_weight:g} | "
            f"{setting.candidates} | {result.ndcg_at_10:.4f} | {result.recall_at_100:.4f} |"
        )
    print()


def normalized_score_fusion(lexical: Ranked, dense: Ranked, share: float) -> list[int]:
    """The alternative to RRF: each list's scores min-max scaled to [0, 1], then
    share * lexical + (1 - share) * dense; an id missing from a list gets 0 from it."""
    fused: dict[int, float] = {}
    for ranking, weight in ((lexical, share), (dense, 1 - share)):
        if not ranking:
            continue
        scores = [value for _, value in ranking]
        low, spread = min(scores), max(scores) - min(scores)
        for pk, value in ranking:
            fused[pk] = fused.get(pk, 0.0) + weight * ((value - low) / spread if spread else 1.0)
    return sorted(fused, key=lambda pk: -fused[pk])


def score_fusion_grid(
    dataset: BeirDataset, beir_ids: dict[int, str], lexical: Rankings, dense: Rankings
) -> None:
    def by_score(share: float) -> Fuse:
        return lambda lex, den: normalized_score_fusion(lex, den, share)

    print("### Hybrid, normalized score fusion instead (shipped title boost)\n")
    print("| lexical share | candidates | nDCG@10 | Recall@100 |\n|---:|---:|---:|---:|")
    for share, candidates in itertools.product(SCORE_SHARES, CANDIDATES):
        ranked = fused(lexical, dense, candidates, by_score(share))
        result = score(dataset, beir_ids, "hybrid", ranked)
        print(
            f"| {share:g} | {candidates} | {result.ndcg_at_10:.4f} | {result.recall_at_100:.4f} |"
        )
    print()


def check_site_path(
    dataset: BeirDataset,
    beir_ids: dict[int, str],
    shipped: Setting,
    lexical: Rankings,
    dense: Rankings,
) -> None:
    """The shipped setting (lexical.py and the SEARCH_* settings), end to end through
    hybrid.ranked_paper_ids as `dailypapers eval beir` runs it."""
    from django.conf import settings

    from dailypapers.search.evaluate import rank_queries

    settings.SEARCH_CANDIDATES = shipped.candidates
    hybrid = score_rankings("hybrid", rank_queries(dataset, beir_ids, "hybrid"), dataset.qrels)
    print(
        f"### Shipped: title boost {shipped.title_boost:g} (abstract 1), RRF k "
        f"{settings.SEARCH_RRF_K:g}, lexical weight {settings.SEARCH_LEXICAL_WEIGHT:g}, dense "
        f"weight {settings.SEARCH_DENSE_WEIGHT:g}, candidates {shipped.candidates}\n"
    )
    print("| mode | nDCG@10 | Recall@100 | queries |\n|---|---:|---:|---:|")
    for result in (
        score(
            dataset,
            beir_ids,
            "lexical",
            {q: ids[: shipped.candidates] for q, ids in ids_of(lexical).items()},
        ),
        score(
            dataset,
            beir_ids,
            "dense",
            {q: ids[: shipped.candidates] for q, ids in ids_of(dense).items()},
        ),
        hybrid,
    ):
        print(
            f"| {result.mode} | {result.ndcg_at_10:.4f} | {result.recall_at_100:.4f} | "
            f"{result.queries} |"
        )
    print("\n(hybrid: hybrid.ranked_paper_ids end to end; lexical and dense: the lists it fuses)")


if __name__ == "__main__":
    sys.exit(main())

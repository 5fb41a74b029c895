"""`dailypapers eval beir`: the metrics, the BEIR loader and a run on a small SciFact subset."""

from __future__ import annotations

import gzip
import io
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from dailypapers.search.evaluate import (
    EvaluationError,
    load_beir,
    ndcg_at_k,
    recall_at_k,
    score_rankings,
)

MINI = Path(__file__).parents[1] / "data" / "scifact_mini"


@pytest.mark.parametrize(
    ("ranking", "judgments", "expected"),
    [
        (["a"], {"a": 1}, 1.0),
        (["a", "b"], {"a": 1, "b": 1}, 1.0),
        (["x", "a"], {"a": 1}, 1 / math.log2(3)),
        (["x", "x", "a"], {"a": 1}, 1 / math.log2(3)),  # a repeated id counts once
        (["a", "x"], {"a": 1, "b": 1}, 1 / (1 + 1 / math.log2(3))),
        # Graded: gain is the grade, the ideal puts grade 2 first.
        (["b", "a"], {"a": 2, "b": 1}, (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))),
        (["z", "b"], {"z": 0, "b": 1}, 1 / math.log2(3)),  # judged not relevant: no gain
        ([f"x{i}" for i in range(10)] + ["a"], {"a": 1}, 0.0),  # rank 11 is past the cut
        ([], {"a": 1}, 0.0),
    ],
)
def test_ndcg_at_10(ranking: list[str], judgments: dict[str, int], expected: float) -> None:
    assert ndcg_at_k(ranking, judgments) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ranking", "judgments", "k", "expected"),
    [
        (["a", "b"], {"a": 1, "b": 2}, 100, 1.0),
        (["a", "x"], {"a": 1, "b": 1}, 100, 0.5),
        (["x", "a"], {"a": 1}, 1, 0.0),
        (["a", "z"], {"a": 1, "z": 0}, 100, 1.0),  # grade 0 is not relevant
        (["a"], {"z": 0}, 100, 0.0),
    ],
)
def test_recall(ranking: list[str], judgments: dict[str, int], k: int, expected: float) -> None:
    assert recall_at_k(ranking, judgments, k) == pytest.approx(expected)


def test_scores_are_means_over_queries_and_an_empty_ranking_scores_zero() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}
    result = score_rankings("lexical", {"q1": ["a"], "q2": []}, qrels)
    assert (result.ndcg_at_10, result.recall_at_100, result.queries) == (0.5, 0.5, 2)
    assert result.line() == "nDCG@10 0.5000  Recall@100 0.5000  (2 queries, mode lexical)"


def _copy_gzipped(target: Path) -> Path:
    (target / "qrels").mkdir(parents=True)
    for name in ("corpus.jsonl", "queries.jsonl"):
        (target / f"{name}.gz").write_bytes(gzip.compress((MINI / name).read_bytes()))
    shutil.copy(MINI / "qrels" / "train.tsv", target / "qrels" / "train.tsv")
    return target


@pytest.mark.parametrize("gzipped", [False, True])
def test_loader_reads_plain_and_gzipped_files(tmp_path: Path, gzipped: bool) -> None:
    directory = _copy_gzipped(tmp_path / "beir") if gzipped else MINI
    dataset = load_beir(directory, "train")
    assert len(dataset.documents) == 30
    assert dataset.queries["308"] == "DUSP4 downregulation deactivates the Ras-ERK pathway"
    assert dataset.qrels["308"] == {"7821634": 1}
    assert dataset.documents[0].title and dataset.documents[0].text


def test_qrels_file_overrides_the_split_and_unjudged_queries_are_left_out(tmp_path: Path) -> None:
    qrels = tmp_path / "mine.tsv"
    qrels.write_text("query-id\tcorpus-id\tscore\n573\t10300888\t2\n846\t22696649\t0\n")
    dataset = load_beir(MINI, "no-such-split", qrels)
    assert list(dataset.queries) == ["573"]  # 846 is judged, but with grade 0 only
    assert dataset.qrels == {"573": {"10300888": 2}}


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: shutil.rmtree(d), "not a directory"),
        (lambda d: (d / "corpus.jsonl.gz").unlink(), "no corpus.jsonl or corpus.jsonl.gz in"),
        (lambda d: (d / "queries.jsonl.gz").unlink(), "no queries.jsonl or queries.jsonl.gz"),
        (
            lambda d: (d / "qrels" / "train.tsv").rename(d / "qrels" / "dev.tsv"),
            r"no qrels for split 'train': .* \(splits here: dev\)",
        ),
        (
            lambda d: (d / "corpus.jsonl.gz").write_bytes(gzip.compress(b"{not json\n")),
            "corpus.jsonl.gz line 1 is not a JSON object with an _id",
        ),
        (lambda d: (d / "qrels" / "train.tsv").write_text("q\td\n"), "line 1 has 2 columns"),
        (lambda d: (d / "corpus.jsonl.gz").write_bytes(b"not gzip"), "cannot read"),
    ],
)
def test_loader_errors_are_one_clear_sentence(tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    directory = _copy_gzipped(tmp_path / "beir")
    damage(directory)
    with pytest.raises(EvaluationError, match=message):
        load_beir(directory, "train")


def test_eval_beir_lexical_finds_the_relevant_abstracts() -> None:
    out = io.StringIO()
    call_command(
        "eval",
        "beir",
        MINI,
        "--split",
        "train",
        "--mode",
        "lexical",
        "--json",
        "--no-progress",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert set(result) == {"mode", "ndcg@10", "recall@100", "queries"}
    assert (result["mode"], result["queries"]) == ("lexical", 5)
    assert result["ndcg@10"] >= 0.9
    assert result["recall@100"] == 1.0
    _assert_no_database_left_behind()


def test_eval_beir_prints_one_line_and_limits_queries() -> None:
    out = io.StringIO()
    call_command(
        "eval",
        "beir",
        MINI,
        "--split",
        "train",
        "--mode",
        "lexical",
        "--limit-queries",
        "2",
        "--no-progress",
        stdout=out,
    )
    assert out.getvalue().endswith("(2 queries, mode lexical)\n")
    assert out.getvalue().startswith("nDCG@10 ")


def test_dense_without_a_model_is_refused_not_measured_as_lexical(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SEARCH_EMBEDDER", "null")
    with pytest.raises(CommandError, match="need the embedding model"):
        call_command(
            "eval",
            "beir",
            MINI,
            "--split",
            "train",
            "--mode",
            "hybrid",
            "--no-progress",
            stdout=io.StringIO(),
        )


def test_worker_refuses_to_run_outside_eval() -> None:
    out = io.StringIO()
    call_command("eval", "beir", MINI, "--split", "train", "--worker", stdout=out)
    assert "only runs inside `dailypapers eval beir`" in json.loads(out.getvalue())["error"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_json_output_is_one_object_and_errors_have_no_traceback(tmp_path: Path) -> None:
    done = _cli("eval", "beir", str(MINI), "--split", "train", "--mode", "lexical", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["queries"] == 5
    missing = _cli("eval", "beir", str(tmp_path / "nowhere"), "--split", "train")
    assert missing.returncode != 0
    assert missing.stderr.strip().count("\n") == 0 and "not a directory" in missing.stderr
    assert "Traceback" not in missing.stderr


def _assert_no_database_left_behind() -> None:
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        return
    import psycopg

    with psycopg.connect(
        dbname=database["NAME"],
        user=database["USER"] or None,
        host=database["HOST"] or None,
        port=database["PORT"] or None,
    ) as check:
        rows = check.execute("SELECT datname FROM pg_database WHERE datname LIKE 'eval_%'")
        assert rows.fetchall() == []

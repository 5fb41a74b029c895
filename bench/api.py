"""Benchmark: requests per second and median/p99 latency of the JSON API through the
production server (`dailypapers serve`: gunicorn), with wrk as the load generator on loopback.

Usage: .venv/bin/python bench/api.py [--database sqlite|postgres] [--workers 3] [--threads 2]
         [--connections 16] [--duration 20] [--embedder onnx|null] [--workdir DIR]
Loads the bundled sample (`dailypapers ingest sample`), indexes it for search
(`dailypapers search update`, real embeddings unless --embedder null), starts the server with
the read limit off, then runs wrk (`apt-get install wrk`) against:
  - /api/daily_papers               the default listing: 50 papers, newest feed day first;
  - /api/daily_papers?date=<latest> the latest feed day;
  - /api/papers/search?q=...        hybrid search, the query rotating over 40 sample titles'
                                    words (a Lua script), limit 20.
Each endpoint is warmed up for 3 s first; wrk's own latency percentiles are reported, and its
full output kept in the work directory. A --workdir that already holds an indexed SQLite
database is reused as it is (indexing the sample takes minutes on a busy machine).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from scratch_database import scratch_database

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "dailypapers"
SAMPLE = ROOT / "src/dailypapers/ingest/sample_papers.jsonl.gz"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def main() -> int:
    args = parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is missing: apt-get install -y wrk")
        return 2
    scratch = args.workdir or Path(tempfile.mkdtemp(prefix="dailypapers-api-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    url, server = scratch_database(args.database, scratch, "api.sqlite3")
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DAILYPAPERS_DATA_DIR=str(scratch),
        SEARCH_INDEX_DIR=str(scratch / "search"),
        SECRET_KEY="bench-" + secrets.token_hex(16),
        SEARCH_EMBEDDER=args.embedder,
        API_READS_PER_MINUTE="0",  # the limit would answer most of a benchmark with 429
    )
    try:
        rows = measure(wrk, env, scratch, args)
    finally:
        if server:
            server.stop()
        if not args.workdir:
            shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"database {args.database}, gunicorn {args.workers} workers x {args.threads} threads, "
        f"wrk {args.connections} connections x {args.duration} s, embedder {args.embedder}"
    )
    print("| endpoint | requests/s | median ms | p99 ms | non-2xx |")
    print("|---|---:|---:|---:|---:|")
    for name, rate, median, p99, errors in rows:
        print(f"| {name} | {rate:,.0f} | {median:.1f} | {p99:.1f} | {errors} |")
    print(f"Command: python bench/api.py {' '.join(sys.argv[1:])}")
    return 0 if all(row[-1] == 0 for row in rows) else 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--embedder", choices=["onnx", "null"], default="onnx")
    parser.add_argument("--workdir", type=Path, help="Keep (and reuse) the database here.")
    return parser.parse_args()


def measure(
    wrk: str, env: dict[str, str], scratch: Path, args: argparse.Namespace
) -> list[tuple[str, float, float, float, int]]:
    ready = scratch / "indexed"
    if not ready.exists() or args.database != "sqlite":
        for step in (["migrate", "-v", "0"], ["ingest", "sample", "--no-progress"]):
            subprocess.run([str(BIN), *step], env=env, check=True, stdout=subprocess.DEVNULL)
        log("indexing for search")
        update = [str(BIN), "search", "update", "--no-progress"]
        subprocess.run(update, env=env, check=True, stdout=subprocess.DEVNULL)
        ready.touch()
    port = free_port()
    web = subprocess.Popen(
        [
            str(BIN),
            "serve",
            "--no-worker",  # the worker (ingest, digests, indexer) is not what is measured
            "--no-indexer",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base)
        latest = json.load(urllib.request.urlopen(f"{base}/api/daily_papers?limit=1"))[0]
        day = latest["paper"]["submittedOnDailyAt"][:10]
        script = search_script(scratch)
        targets = [
            ("/api/daily_papers", f"{base}/api/daily_papers", None),
            (f"/api/daily_papers?date={day}", f"{base}/api/daily_papers?date={day}", None),
            ("/api/papers/search?q=...&limit=20", f"{base}/api/papers/search", script),
        ]
        rows = []
        for n, (name, address, lua) in enumerate(targets):
            rows.append((name, *run_wrk(wrk, address, lua, args, scratch / f"wrk-{n}.txt")))
            log(f"{rows[-1]}")
        return rows
    finally:
        web.terminate()
        web.wait(timeout=30)


def run_wrk(
    wrk: str, address: str, lua: Path | None, args: argparse.Namespace, keep: Path
) -> tuple[float, float, float, int]:
    base = [wrk, "-t", "2", "-c", str(args.connections), "--latency", "--timeout", "10s"]
    if lua:
        base += ["-s", str(lua)]
    log(f"wrk {address}")
    subprocess.run([*base, "-d", "3s", address], check=True, capture_output=True)  # warm-up
    output = subprocess.run(
        [*base, "-d", f"{args.duration}s", address], check=True, capture_output=True, text=True
    ).stdout
    keep.write_text(output)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s|m))$", output, re.M))
    if len(percentiles) < 2:
        raise RuntimeError(f"wrk printed no latency percentiles (see {keep}):\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return (
        rate,
        millis(percentiles["50"]),
        millis(percentiles["99"]),
        int(errors.group(1)) if errors else 0,
    )


def millis(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def search_script(scratch: Path) -> Path:
    """A wrk Lua script cycling through queries made of real sample titles' first words."""
    queries = []
    with gzip.open(SAMPLE, "rt") as lines:
        for n, line in enumerate(lines):
            if n % 50 == 0:
                words = re.findall(r"[A-Za-z]{3,}", json.loads(line)["title"])[:4]
                queries.append("+".join(words).lower())
    quoted = ", ".join(f'"{query}"' for query in queries if query)
    path = scratch / "search.lua"
    path.write_text(
        f"local queries = {{{quoted}}}\nlocal n = 0\n"
        "request = function()\n  n = n % #queries + 1\n"
        '  return wrk.format("GET", "/api/papers/search?limit=20&q=" .. queries[n])\nend\n'
    )
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/openapi.json", timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start within 60 s")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

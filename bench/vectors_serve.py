"""Benchmark: the resident memory of a whole `dailypapers serve` (web workers, the worker, the
indexer) over a data directory whose vectors are the machine's memory-mapped file (issue 11).

Usage: DAILYPAPERS_DATA_DIR=DIR DATABASE_URL=... .venv/bin/python bench/vectors_serve.py
Starts `dailypapers serve` (WEB_WORKERS, 3 by default), waits for it, sends 60 searches so
that every web worker has loaded its engine and mapped the vector file, then sums over every
process of the tree RSS (shared pages counted in each process) and PSS (each shared page
split between the processes that map it: the machine's real cost), from
/proc/<pid>/smaps_rollup; then stops the server it started.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "graph neural networks",
    "diffusion models for protein design",
    "sparse attention long context",
    "quantum error correction",
    "cat:cs.LG reinforcement learning",
    "dark matter halo",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--settle", type=float, default=20.0, help="Seconds to wait after.")
    args = parser.parse_args()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "dailypapers"), "serve", "--port", str(args.port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(args.port)
        for number in range(60):
            query = urllib.parse.quote(f"{QUERIES[number % len(QUERIES)]} {number}")
            url = f"http://127.0.0.1:{args.port}/search?q={query}"
            urllib.request.urlopen(url, timeout=120).read()
        time.sleep(args.settle)
        report(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    return 0


def wait_for(port: int) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
            return
        except OSError:
            time.sleep(1)
    raise SystemExit("the server did not answer within 5 minutes")


def report(root: int) -> None:
    total = {"Rss": 0, "Pss": 0}
    for pid in tree(root):
        values = rollup(pid)
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:90]
        print(
            f"{pid:>7} RSS {values['Rss'] / 2**20:7.0f} MiB  PSS {values['Pss'] / 2**20:7.0f} MiB"
            f"  {command.decode(errors='replace')}"
        )
        for field in total:
            total[field] += values[field]
    print(
        f"whole serve: RSS {total['Rss'] / 2**30:.2f} GiB, PSS {total['Pss'] / 2**30:.2f} GiB "
        f"({len(tree(root))} processes)"
    )


def tree(root: int) -> list[int]:
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            queue += [int(child) for child in children.read_text().split()]
    return found


def rollup(pid: int) -> dict[str, int]:
    values = {"Rss": 0, "Pss": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name = line.split(":")[0]
            if name in values:
                values[name] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return values


if __name__ == "__main__":
    sys.exit(main())

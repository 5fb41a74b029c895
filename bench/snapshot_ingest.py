"""Benchmark (issue 11): import arXiv's metadata snapshot format with `dailypapers ingest file`.

Usage: .venv/bin/python bench/snapshot_ingest.py [--papers N] [--databases sqlite postgres]

The 180,936 real papers of ../shared/data/arxiv/arxiv_metadata.jsonl.gz are rewritten as
snapshot lines (`arxiv-metadata-oai-snapshot.json`: wrapped titles and abstracts, versions,
authors_parsed, ...), repeated under new ids up to --papers. Dates are shifted so the corpus
ends yesterday, as a fresh snapshot would. Each row is one `dailypapers ingest file` run into a
fresh database: the snapshot with the default feed window (SNAPSHOT_FEED_DAYS=14), the snapshot
with every paper put in the feed (the feed triggers run on each), and, as the reference
measured in the same run, the same papers in the project's own JSON Lines. Printed: papers/s,
the peak memory of the command's process tree (sampled every 0.1 s: RSS summed, which counts
the pages the forked parser shares with the writer twice, and PSS, which counts them once; the
database server is not counted), the load average, and the CPU time each process used, with
the rate that CPU time allows on 2 idle cores (the machine is shared: wall-clock rates there
depend on what else runs).
Goals: at least 5,000 papers/s into SQLite and PostgreSQL; at most 1 GiB peak for 3M papers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
from scratch_database import scratch_database

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_metadata.jsonl.gz"
LICENSE = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
CLI = [sys.executable, "-m", "dailypapers.cli"]
# (label, file, SNAPSHOT_FEED_DAYS)
RUNS = [
    ("snapshot, feed window 14 days (default)", "snapshot", "14"),
    ("snapshot, every paper in the feed", "snapshot", "100000"),
    ("reference: same papers as project JSONL (all in the feed)", "jsonl", "14"),
]


@dataclass
class Result:
    label: str
    database: str
    summary: str
    seconds: float
    tree_peak_mib: float
    #: the same with pages the forked parser shares with the writer counted once (PSS)
    tree_pss_mib: float
    load: str
    #: CPU seconds of the busiest process, and of all (command tree and database server)
    busiest_cpu: float
    total_cpu: float
    cpu_roles: str

    @property
    def papers(self) -> int:
        return int(self.summary.split()[1].rstrip(","))

    @property
    def rate(self) -> float:
        return self.papers / self.seconds

    @property
    def idle_rate(self) -> float:
        """The rate the CPU time used allows on 2 idle cores (no process can use two)."""
        return self.papers / max(self.busiest_cpu, self.total_cpu / 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--papers", type=int, default=0, help="Repeat up to N papers (3M).")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--runs", nargs="+", type=int, default=[0, 1, 2], help="Rows of RUNS.")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"benchmark data missing: {args.data} (it lives in ../shared/data/arxiv)")
        return 2
    work = Path(tempfile.mkdtemp(prefix="dailypapers-snapshot-bench-"))
    try:
        reference = any(RUNS[i][1] == "jsonl" for i in args.runs)
        files = write_inputs(args.data, work, args.papers, reference)
        results = [
            run_once(label, kind, files[name], feed_days, work)
            for kind in args.databases
            for label, name, feed_days in (RUNS[i] for i in args.runs)
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    return 0


def write_inputs(data: Path, work: Path, papers: int, reference: bool) -> dict[str, Path]:
    """The snapshot file, and the same papers as project JSON Lines when the reference runs."""
    with gzip.open(data, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    shift = date.today() - timedelta(days=1) - max(map(_last_day, records))
    files = {"snapshot": work / "arxiv-metadata-oai-snapshot.json", "jsonl": work / "papers.jsonl"}
    started = time.perf_counter()
    jsonl_path = files["jsonl"] if reference else Path(os.devnull)
    with open(files["snapshot"], "w") as snapshot, open(jsonl_path, "w") as jsonl:
        for arxiv_id, record in _repeated(records, max(papers, len(records))):
            shifted = _shifted(record, shift, arxiv_id)
            snapshot.write(json.dumps(snapshot_line(shifted)) + "\n")
            jsonl.write(json.dumps(shifted) + "\n")
    size = files["snapshot"].stat().st_size / 2**20
    print(
        f"wrote {max(papers, len(records)):,} papers as a {size:,.0f} MiB snapshot "
        f"in {time.perf_counter() - started:.0f} s (dates shifted by {shift.days} days)",
        flush=True,
    )
    return files


def _repeated(records: list[dict[str, Any]], total: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """The real papers, then copies under ids 90MM.NNNNN (free until 2090) up to `total`."""
    for number in range(total):
        record = records[number % len(records)]
        if number < len(records):
            yield record["id"], record
            continue
        copy = number - len(records)
        year, month = 90 + copy // 1_200_000, copy // 100_000 % 12 + 1
        yield f"{year:02}{month:02}.{copy % 100_000:05}", record


def _last_day(record: dict[str, Any]) -> date:
    days = [record.get(name) for name in ("first_seen", "published", "updated")]
    return max((date.fromisoformat(d[:10]) for d in days if d), default=date(2025, 1, 1))


def _shifted(record: dict[str, Any], shift: timedelta, arxiv_id: str) -> dict[str, Any]:
    moved = {**record, "id": arxiv_id}
    for name in ("first_seen", "published", "updated"):
        if record.get(name):
            moved[name] = (date.fromisoformat(record[name][:10]) + shift).isoformat()
    return moved


def snapshot_line(record: dict[str, Any]) -> dict[str, Any]:
    """A project JSONL record as arXiv's snapshot writes it."""
    authors = [str(name) for name in record.get("authors") or []]
    first = _day(record.get("published")) or _day(record.get("first_seen"), -1)
    first = first or date(2025, 1, 1)
    versions = [_version(1, first, 14)]
    updated = _day(record.get("updated"))
    if updated and updated > first:
        versions.append(_version(2, updated, 9))
    return {
        "id": record["id"],
        "submitter": authors[0] if authors else None,
        "authors": ", ".join(authors[:-1]) + " and " + authors[-1]
        if authors[1:]
        else "".join(authors),
        "title": _wrap(record.get("title") or "", 72),
        "comments": _wrap(record.get("comment") or "", 72) or None,
        "journal-ref": None,
        "doi": None,
        "report-no": None,
        "categories": " ".join(record.get("categories") or []),
        "license": LICENSE,
        "abstract": "  " + (record.get("abstract") or "").replace("\n\n", "\n  ") + "\n",
        "versions": versions,
        "update_date": (updated or first).isoformat(),
        "authors_parsed": [[*reversed(name.rsplit(" ", 1)), ""] for name in authors],
    }


def _day(value: str | None, offset: int = 0) -> date | None:
    return date.fromisoformat(value[:10]) + timedelta(days=offset) if value else None


def _version(number: int, day: date, hour: int) -> dict[str, str]:
    created = datetime(day.year, day.month, day.day, hour, 17, 42, tzinfo=UTC)
    return {"version": f"v{number}", "created": created.strftime("%a, %-d %b %Y %H:%M:%S GMT")}


def _wrap(text: str, width: int) -> str:
    """arXiv's hard wrapping: lines of at most `width`, continued with two spaces."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n  ".join([*lines, line]) if line else ""


def run_once(label: str, kind: str, path: Path, feed_days: str, work: Path) -> Result:
    directory = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=work))
    url, server = scratch_database(kind, directory, "dailypapers.sqlite3")
    env = {
        **os.environ,
        "DAILYPAPERS_DATA_DIR": str(directory),
        "DATABASE_URL": url,
        "SNAPSHOT_FEED_DAYS": feed_days,
    }
    try:
        subprocess.run([*CLI, "migrate", "-v", "0"], env=env, check=True)
        before = os.getloadavg()[0]
        started = time.perf_counter()
        process = subprocess.Popen(
            [*CLI, "ingest", "file", str(path), "--no-progress"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        peak = TreePeak(process.pid, _postmaster(server))
        output = process.stdout.read() if process.stdout else ""
        process.wait()
        seconds = time.perf_counter() - started
        peak.stop()
        if process.returncode:
            raise SystemExit(f"{label} on {kind} failed ({process.returncode}): {output}")
    finally:
        if server:
            server.stop()
    result = Result(
        label,
        "PostgreSQL 18" if server else "SQLite",
        output.strip().splitlines()[-1],
        seconds,
        peak.peak / 2**20,
        peak.pss_peak / 2**20,
        f"{before:.1f} / {os.getloadavg()[0]:.1f}",
        max(peak.cpu_used().values()),
        sum(peak.cpu_used().values()),
        peak.cpu_by_role(),
    )
    print(
        f"{result.database}, {label}: {result.summary}, {result.rate:,.0f} papers/s, "
        f"CPU s: {peak.cpu_by_role()}",
        flush=True,
    )
    return result


def _postmaster(server: Any) -> int | None:
    if server is None:
        return None
    return int((server.directory / "data" / "postmaster.pid").read_text().split()[0])


class TreePeak:
    """Samples the summed RSS of a process and its children (the runner's parsing child), and
    the CPU time each of them and of the database server's processes uses meanwhile."""

    def __init__(self, pid: int, server_pid: int | None) -> None:
        self.root = psutil.Process(pid)
        self.server = psutil.Process(server_pid) if server_pid else None
        self.peak = 0
        self.pss_peak = 0
        self.server_pids: set[int] = set()
        self.cpu: dict[int, tuple[float, float]] = {}  # pid: (first seen, last seen)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self._sample_cpu(starting=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.wait(0.1):
            try:
                tree = [self.root, *self.root.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree))
                self.pss_peak = max(self.pss_peak, sum(p.memory_full_info().pss for p in tree))
            except psutil.Error:
                continue
            self._sample_cpu()

    def _sample_cpu(self, starting: bool = False) -> None:
        for process in self._processes():
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            used = times.user + times.system
            # Server processes running before the run count from now; new ones from zero.
            first = self.cpu[process.pid][0] if process.pid in self.cpu else 0.0
            self.cpu[process.pid] = (used if starting else first, used)

    def _processes(self) -> list[psutil.Process]:
        found = []
        for root in [self.root, self.server] if self.server else [self.root]:
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            found += tree
            if root is self.server:
                self.server_pids.update(process.pid for process in tree)
        return found

    def cpu_by_role(self) -> str:
        """CPU seconds of the writer (the command), its parsing child and the database."""
        roles = {"writer": 0.0, "parser": 0.0, "database server": 0.0}
        for pid, used in self.cpu_used().items():
            role = "writer" if pid == self.root.pid else "parser"
            roles["database server" if pid in self.server_pids else role] += used
        return ", ".join(f"{role} {used:.1f}" for role, used in roles.items() if used)

    def cpu_used(self) -> dict[int, float]:
        return {pid: last - first for pid, (first, last) in self.cpu.items()}

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def print_table(results: list[Result]) -> None:
    print(
        "| database | input | summary | seconds | papers/s | peak RSS, process tree (MiB) "
        "| peak PSS, process tree (MiB) | load average before / after "
        "| CPU s by process | papers/s the CPU time allows on 2 idle cores |"
    )
    print("|---|---|---|---:|---:|---:|---:|---|---:|---:|")
    for r in results:
        print(
            f"| {r.database} | {r.label} | {r.summary} | {r.seconds:.1f} | {r.rate:,.0f} "
            f"| {r.tree_peak_mib:,.0f} | {r.tree_pss_mib:,.0f} | {r.load} "
            f"| {r.cpu_roles} | {r.idle_rate:,.0f} |"
        )


if __name__ == "__main__":
    sys.exit(main())

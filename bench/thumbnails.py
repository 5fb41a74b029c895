"""Benchmark: what one thumbnail costs to render, in the limited child process the worker
uses, beside the same child doing nothing (interpreter start) as the reference in the same run.

Usage: .venv/bin/python bench/thumbnails.py [--rounds 20] [--pages 12]
PDFs are made with ReportLab (tests/thumbnails/pdfs.py: text and a figure; a 12-page paper by
default). CPU seconds are the children's own (resource.RUSAGE_CHILDREN), so other processes'
load on the machine does not count in them; wall-clock seconds do.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dailypapers.thumbnails.render import Limits, render_in_child  # noqa: E402
from tests.thumbnails import pdfs  # noqa: E402

LIMITS = Limits(seconds=60, memory_bytes=768 * 2**20)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(rounds: int, work: Callable[[], object]) -> tuple[float, float]:
    """Median wall seconds and mean child CPU seconds of `work`."""
    walls, cpu_before = [], children_cpu()
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        walls.append(time.perf_counter() - started)
    return statistics.median(walls), (children_cpu() - cpu_before) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pages", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        source, out = Path(scratch) / "paper.pdf", Path(scratch) / "page.webp"
        source.write_bytes(pdfs.paper_pdf(pages=args.pages))
        empty = [sys.executable, "-c", "import pypdfium2, PIL.Image"]
        ref_wall, ref_cpu = measure(args.rounds, lambda: subprocess.run(empty, check=True))
        wall, cpu = measure(args.rounds, lambda: render_in_child(source, out, 320, LIMITS))
        size = out.stat().st_size
    print(f"PDF: {args.pages} pages (ReportLab); image 320 px wide, {size:,} bytes")
    row("child importing pypdfium2 + Pillow only", ref_wall, ref_cpu)
    row("child rendering page 1 to WebP", wall, cpu)
    print(f"rendering itself: {(cpu - ref_cpu) * 1000:.0f} ms CPU a paper; at the arXiv budget")
    speed = 3.0 / max(cpu, 1e-3)
    print(f"of one PDF every 3 s, one core renders {speed:.0f}x faster than PDFs can be fetched")


def row(name: str, wall: float, cpu: float) -> None:
    print(f"{name:<42} {wall * 1000:5.0f} ms wall, {cpu * 1000:4.0f} ms CPU")


if __name__ == "__main__":
    main()

"""Run one source into the database with a progress bar and a summary."""

from __future__ import annotations

import multiprocessing
import queue
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.utils import timezone
from tqdm import tqdm

from dailypapers.ingest.bulk import indexes_built_after, is_bulk
from dailypapers.ingest.models import IngestRun
from dailypapers.ingest.parsed import Checkpoint
from dailypapers.ingest.sources.base import Source
from dailypapers.ingest.upsert import (
    IngestSummary,
    PreparedBatch,
    prepare_batches,
    write_batches,
)
from dailypapers.papers.models import Paper


def run_source(source: Source, progress: bool = True, batch_size: int = 2000) -> IngestSummary:
    """Fetch everything `source` yields and store it; returns the counts. Each run is
    recorded (IngestRun), with its counts or its error, for `dailypapers status`."""
    run = IngestRun.objects.create(source=source.name, started_at=timezone.now())
    try:
        summary = _run(source, progress, batch_size)
    except BaseException as error:
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["error", "finished_at"])
        raise
    for name in ("fetched", "new", "updated", "skipped"):
        setattr(run, name, getattr(summary, name))
    run.finished_at = timezone.now()
    run.save()
    return summary


def _run(source: Source, progress: bool, batch_size: int) -> IngestSummary:
    expected = getattr(source, "expected_papers", None)  # files say about how many they hold
    if expected and is_bulk(expected()):
        with indexes_built_after(announce=progress):
            return _write(source, progress, batch_size)
    return _write(source, progress, batch_size)


def _write(source: Source, progress: bool, batch_size: int) -> IngestSummary:
    if getattr(source, "parse_in_subprocess", False):
        batches = _prepared_in_subprocess(source, batch_size)
    else:
        batches = prepare_batches(source.fetch(), batch_size)
    with tqdm(
        desc=f"ingest {source.name}",
        unit=" papers",
        disable=not progress,
        file=sys.stderr,
        mininterval=0.5,
    ) as bar:
        return write_batches(batches, source.name, on_progress=bar.update)


def database_is_empty() -> bool:
    return not Paper.objects.exists()


def _prepared_in_subprocess(source: Source, batch_size: int) -> Iterator[PreparedBatch]:
    """Parse in a child process while this one writes: parsing is a third of a bulk load."""
    context = multiprocessing.get_context("fork")
    channel = context.Queue(maxsize=4)
    # The child never touches the database, and a forked multiprocessing child leaves through
    # os._exit, so the connections it inherits are neither used nor closed (closing them would
    # end the parent's PostgreSQL session).
    child = context.Process(target=_produce, args=(source, batch_size, channel), daemon=True)
    child.start()
    try:
        while True:
            try:
                item = channel.get(timeout=1.0)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the {source.name} parser stopped unexpectedly") from None
                continue
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            item.checkpoints = [_rebound(checkpoint, source) for checkpoint in item.checkpoints]
            yield item
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _produce(source: Source, batch_size: int, channel: multiprocessing.Queue) -> None:
    try:
        for batch in prepare_batches(source.fetch(), batch_size):
            batch.checkpoints = [_unbound(checkpoint, source) for checkpoint in batch.checkpoints]
            channel.put(batch)
        channel.put(None)
    except Exception as error:  # handed to the parent, which raises it
        channel.put(error)


@dataclass(frozen=True)
class _SourceCall:
    """A checkpoint on its way from the parsing child: the source's method and its arguments.
    Pickled as it is, a bound method would carry a copy of the source, not the writer's own."""

    method: str
    args: tuple[Any, ...]

    def __call__(self) -> None:
        raise RuntimeError("a checkpoint from the parsing child runs once rebound")


def _unbound(checkpoint: Checkpoint, source: Source) -> Checkpoint:
    reached = checkpoint.reached
    if isinstance(reached, partial) and getattr(reached.func, "__self__", None) is source:
        return Checkpoint(_SourceCall(reached.func.__name__, reached.args))
    return checkpoint  # anything else pickles as it is


def _rebound(checkpoint: Checkpoint, source: Source) -> Checkpoint:
    call = checkpoint.reached
    if isinstance(call, _SourceCall):
        return Checkpoint(partial(getattr(source, call.method), *call.args))
    return checkpoint

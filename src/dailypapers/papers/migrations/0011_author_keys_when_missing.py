"""An author row's keys are filled from its paper only when the writer did not give them
(`published_ts` 0). The ingest writes both keys itself (ingest/upsert.py), so a bulk import's
author rows no longer look their paper up: SQLite's insert trigger did for every row, parsing
the paper's date, 14 of 26 microseconds of an author row's insert (docs/benchmarks.md,
"Snapshot import (issue 11)"), and PostgreSQL's ran a query per row. A row written without
them, by anything else, is still filled; a paper's new date or hidden flag still reaches its
rows (0009's trigger on the paper, unchanged)."""

import importlib

from django.db import migrations

from dailypapers.papers.triggers import SQLITE_PUBLISHED, per_vendor

before = importlib.import_module("dailypapers.papers.migrations.0009_paperauthor_sort_keys")

SQLITE = [
    "DROP TRIGGER IF EXISTS papers_author_keys_insert",
    f"""
    CREATE TRIGGER papers_author_keys_insert AFTER INSERT ON papers_paperauthor
    WHEN NEW.published_ts = 0
    BEGIN
      UPDATE papers_paperauthor SET
        published_ts = (SELECT {SQLITE_PUBLISHED.format("published")} FROM papers_paper
                        WHERE id = NEW.paper_id),
        hidden = (SELECT is_hidden FROM papers_paper WHERE id = NEW.paper_id)
      WHERE id = NEW.id;
    END
    """,
]

POSTGRES = [
    "DROP TRIGGER IF EXISTS papers_author_keys ON papers_paperauthor",
    """
    CREATE TRIGGER papers_author_keys BEFORE INSERT OR UPDATE ON papers_paperauthor
    FOR EACH ROW WHEN (NEW.published_ts = 0) EXECUTE FUNCTION papers_author_keys()
    """,
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_author_keys ON papers_paperauthor",
    before.POSTGRES[1],
]


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0010_paper_match_keys"),
    ]

    operations = [
        per_vendor(
            {"sqlite": SQLITE, "postgresql": POSTGRES},
            {
                "sqlite": ["DROP TRIGGER IF EXISTS papers_author_keys_insert", before.SQLITE[0]],
                "postgresql": POSTGRES_REVERSE,
            },
        ),
    ]

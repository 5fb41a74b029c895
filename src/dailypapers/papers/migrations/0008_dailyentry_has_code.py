"""Whether an entry's paper has code (a github_repo), stored on the entry by database triggers
with an index in feed order, so the "has code" filter of feeds and the API walks its own rows
instead of testing every entry's paper (docs/ranking.md, "Performance"; issue 14)."""

from django.db import migrations, models

from dailypapers.papers.triggers import per_vendor

# The column added in place: Django's AddField would rebuild the SQLite table, which the
# triggers of migrations 0004-0006 on it do not survive.
ADD_COLUMN = {
    "sqlite": ["ALTER TABLE papers_dailyentry ADD COLUMN has_code bool NOT NULL DEFAULT 0"],
    "postgresql": [
        "ALTER TABLE papers_dailyentry ADD COLUMN has_code boolean NOT NULL DEFAULT false"
    ],
}
DROP_COLUMN = {
    "sqlite": ["ALTER TABLE papers_dailyentry DROP COLUMN has_code"],
    "postgresql": ["ALTER TABLE papers_dailyentry DROP COLUMN has_code"],
}

SQLITE = [
    # Set after any insert, whoever inserts (the ORM, ingest's raw executemany); the inner
    # UPDATE changes no column the other entry triggers watch.
    """
    CREATE TRIGGER papers_entry_code_insert AFTER INSERT ON papers_dailyentry BEGIN
      UPDATE papers_dailyentry SET
        has_code = (SELECT github_repo != '' FROM papers_paper WHERE id = NEW.paper_id)
      WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER papers_paper_code_update AFTER UPDATE OF github_repo ON papers_paper
    WHEN (OLD.github_repo != '') != (NEW.github_repo != '') BEGIN
      UPDATE papers_dailyentry SET has_code = (NEW.github_repo != '') WHERE paper_id = NEW.id;
    END
    """,
    """
    UPDATE papers_dailyentry SET has_code = 1
    WHERE paper_id IN (SELECT id FROM papers_paper WHERE github_repo != '')
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_entry_code_insert",
    "DROP TRIGGER IF EXISTS papers_paper_code_update",
]

POSTGRES = [
    """
    CREATE FUNCTION papers_entry_code() RETURNS trigger AS $$
    BEGIN
      NEW.has_code := COALESCE(
        (SELECT p.github_repo <> '' FROM papers_paper p WHERE p.id = NEW.paper_id), false);
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_entry_code BEFORE INSERT ON papers_dailyentry
    FOR EACH ROW EXECUTE FUNCTION papers_entry_code()
    """,
    """
    CREATE FUNCTION papers_paper_code() RETURNS trigger AS $$
    BEGIN
      UPDATE papers_dailyentry SET has_code = (NEW.github_repo <> '') WHERE paper_id = NEW.id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_paper_code AFTER UPDATE OF github_repo ON papers_paper
    FOR EACH ROW WHEN ((OLD.github_repo <> '') IS DISTINCT FROM (NEW.github_repo <> ''))
    EXECUTE FUNCTION papers_paper_code()
    """,
    """
    UPDATE papers_dailyentry e SET has_code = true
    FROM papers_paper p WHERE p.id = e.paper_id AND p.github_repo <> ''
    """,
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_entry_code ON papers_dailyentry",
    "DROP TRIGGER IF EXISTS papers_paper_code ON papers_paper",
    "DROP FUNCTION IF EXISTS papers_entry_code()",
    "DROP FUNCTION IF EXISTS papers_paper_code()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0007_daycategorycount"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="dailyentry",
                    name="has_code",
                    field=models.BooleanField(db_default=False, default=False, editable=False),
                ),
            ],
            database_operations=[per_vendor(ADD_COLUMN, DROP_COLUMN)],
        ),
        migrations.AddIndex(
            model_name="dailyentry",
            index=models.Index(
                fields=["has_code", "day", "upvotes", "published_ts", "paper", "hidden"],
                name="entry_code_order",
            ),
        ),
        per_vendor(
            {"sqlite": SQLITE, "postgresql": POSTGRES},
            {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE},
        ),
    ]

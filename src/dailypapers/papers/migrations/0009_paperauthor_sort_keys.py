"""An author's papers newest first, read off one index: each author row carries its paper's
publication time and hidden flag, kept equal to the paper's by database triggers, as the feed
entries carry theirs (0004). Before, an author page looked up every paper of the author to
count and sort them: 190 ms for a name on 11,000 papers at 3M (docs/ranking.md,
"Performance"). The index on the name alone is a prefix of the new one, so it goes."""

from django.db import migrations, models

from dailypapers.papers.triggers import POSTGRES_PUBLISHED, SQLITE_PUBLISHED, per_vendor

SQLITE = [
    # Recursive triggers are off: the inner UPDATE does not fire these again. The ingest
    # writes the publication time itself (ingest/upsert.py), so mostly there is nothing to do.
    f"""
    CREATE TRIGGER papers_author_keys_insert AFTER INSERT ON papers_paperauthor
    WHEN (SELECT NEW.published_ts IS NOT {SQLITE_PUBLISHED.format("published")}
                 OR NEW.hidden IS NOT is_hidden
          FROM papers_paper WHERE id = NEW.paper_id)
    BEGIN
      UPDATE papers_paperauthor SET
        published_ts = (SELECT {SQLITE_PUBLISHED.format("published")} FROM papers_paper
                        WHERE id = NEW.paper_id),
        hidden = (SELECT is_hidden FROM papers_paper WHERE id = NEW.paper_id)
      WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER papers_paper_author_keys AFTER UPDATE OF published, is_hidden ON papers_paper
    WHEN OLD.published IS NOT NEW.published OR OLD.is_hidden != NEW.is_hidden
    BEGIN
      UPDATE papers_paperauthor SET
        published_ts = {SQLITE_PUBLISHED.format("NEW.published")},
        hidden = NEW.is_hidden
      WHERE paper_id = NEW.id;
    END
    """,
]

# The rows already there, filled before the index exists (one pass over the table rather
# than an index entry moved per row: 15M rows at 3M papers).
FILL = {
    "sqlite": [
        f"""
        UPDATE papers_paperauthor SET
          published_ts = {SQLITE_PUBLISHED.format("p.published")}, hidden = p.is_hidden
        FROM papers_paper p WHERE p.id = papers_paperauthor.paper_id
        """
    ],
    "postgresql": [
        f"""
        UPDATE papers_paperauthor a SET
          published_ts = {POSTGRES_PUBLISHED.format("p.published")}, hidden = p.is_hidden
        FROM papers_paper p WHERE p.id = a.paper_id
        """
    ],
}

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_author_keys_insert",
    "DROP TRIGGER IF EXISTS papers_paper_author_keys",
]

POSTGRES = [
    f"""
    CREATE FUNCTION papers_author_keys() RETURNS trigger AS $$
    BEGIN
      SELECT {POSTGRES_PUBLISHED.format("p.published")}, p.is_hidden
        INTO NEW.published_ts, NEW.hidden
        FROM papers_paper p WHERE p.id = NEW.paper_id;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_author_keys BEFORE INSERT OR UPDATE ON papers_paperauthor
    FOR EACH ROW EXECUTE FUNCTION papers_author_keys()
    """,
    f"""
    CREATE FUNCTION papers_paper_author_keys() RETURNS trigger AS $$
    BEGIN
      UPDATE papers_paperauthor SET
        published_ts = {POSTGRES_PUBLISHED.format("NEW.published")},
        hidden = NEW.is_hidden
      WHERE paper_id = NEW.id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_paper_author_keys
    AFTER UPDATE OF published, is_hidden ON papers_paper
    FOR EACH ROW WHEN (OLD.published IS DISTINCT FROM NEW.published
      OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden)
    EXECUTE FUNCTION papers_paper_author_keys()
    """,
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_author_keys ON papers_paperauthor",
    "DROP TRIGGER IF EXISTS papers_paper_author_keys ON papers_paper",
    "DROP FUNCTION IF EXISTS papers_author_keys()",
    "DROP FUNCTION IF EXISTS papers_paper_author_keys()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0008_dailyentry_has_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="paperauthor",
            name="published_ts",
            field=models.BigIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AddField(
            model_name="paperauthor",
            name="hidden",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.AlterField(
            model_name="paperauthor",
            name="name",
            field=models.CharField(max_length=300),
        ),
        per_vendor(FILL, {"sqlite": [], "postgresql": []}),
        migrations.AddIndex(
            model_name="paperauthor",
            index=models.Index(
                fields=["name", "published_ts", "paper", "hidden"], name="paperauthor_newest"
            ),
        ),
        # Last: on SQLite, altering the table remakes it, which would drop its triggers.
        per_vendor(
            {"sqlite": SQLITE, "postgresql": POSTGRES},
            {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE},
        ),
    ]

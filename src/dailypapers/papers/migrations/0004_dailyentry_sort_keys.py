"""The feed's sort keys stored on each daily entry (upvotes, publication time, hidden), kept
equal to the paper's by database triggers, so every listing reads one index in order instead
of joining and sorting papers (docs/ranking.md, "Performance")."""

from django.db import migrations, models

from dailypapers.papers.triggers import POSTGRES_PUBLISHED, SQLITE_PUBLISHED, per_vendor


SQLITE = [
    # An entry takes its paper's keys when it is written, whatever wrote it (the ORM, raw
    # executemany in ingest/upsert.py, the admin); recursive triggers are off, so the inner
    # UPDATE does not fire these again.
    f"""
    CREATE TRIGGER papers_entry_keys_insert AFTER INSERT ON papers_dailyentry BEGIN
      UPDATE papers_dailyentry SET
        upvotes = (SELECT source_upvotes + local_upvotes FROM papers_paper WHERE id = NEW.paper_id),
        published_ts = (SELECT {SQLITE_PUBLISHED.format("published")} FROM papers_paper
                        WHERE id = NEW.paper_id),
        hidden = (SELECT is_hidden FROM papers_paper WHERE id = NEW.paper_id)
      WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER papers_entry_keys_update AFTER UPDATE ON papers_dailyentry
    WHEN NEW.upvotes IS NOT (SELECT source_upvotes + local_upvotes FROM papers_paper
                             WHERE id = NEW.paper_id)
      OR NEW.hidden IS NOT (SELECT is_hidden FROM papers_paper WHERE id = NEW.paper_id)
      OR NEW.published_ts IS NOT (SELECT {SQLITE_PUBLISHED.format("published")} FROM papers_paper
                                  WHERE id = NEW.paper_id)
    BEGIN
      UPDATE papers_dailyentry SET
        upvotes = (SELECT source_upvotes + local_upvotes FROM papers_paper WHERE id = NEW.paper_id),
        published_ts = (SELECT {SQLITE_PUBLISHED.format("published")} FROM papers_paper
                        WHERE id = NEW.paper_id),
        hidden = (SELECT is_hidden FROM papers_paper WHERE id = NEW.paper_id)
      WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER papers_paper_keys_update
    AFTER UPDATE OF source_upvotes, local_upvotes, published, is_hidden ON papers_paper
    WHEN OLD.source_upvotes != NEW.source_upvotes OR OLD.local_upvotes != NEW.local_upvotes
      OR OLD.published IS NOT NEW.published OR OLD.is_hidden != NEW.is_hidden
    BEGIN
      UPDATE papers_dailyentry SET
        upvotes = NEW.source_upvotes + NEW.local_upvotes,
        published_ts = {SQLITE_PUBLISHED.format("NEW.published")},
        hidden = NEW.is_hidden
      WHERE paper_id = NEW.id;
    END
    """,
    f"""
    UPDATE papers_dailyentry SET
      upvotes = (SELECT source_upvotes + local_upvotes FROM papers_paper
                 WHERE id = papers_dailyentry.paper_id),
      published_ts = (SELECT {SQLITE_PUBLISHED.format("published")} FROM papers_paper
                      WHERE id = papers_dailyentry.paper_id),
      hidden = (SELECT is_hidden FROM papers_paper WHERE id = papers_dailyentry.paper_id)
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_entry_keys_insert",
    "DROP TRIGGER IF EXISTS papers_entry_keys_update",
    "DROP TRIGGER IF EXISTS papers_paper_keys_update",
]

POSTGRES = [
    f"""
    CREATE FUNCTION papers_entry_keys() RETURNS trigger AS $$
    BEGIN
      SELECT p.source_upvotes + p.local_upvotes, {POSTGRES_PUBLISHED.format("p.published")},
             p.is_hidden
        INTO NEW.upvotes, NEW.published_ts, NEW.hidden
        FROM papers_paper p WHERE p.id = NEW.paper_id;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_entry_keys BEFORE INSERT OR UPDATE ON papers_dailyentry
    FOR EACH ROW EXECUTE FUNCTION papers_entry_keys()
    """,
    f"""
    CREATE FUNCTION papers_paper_keys() RETURNS trigger AS $$
    BEGIN
      UPDATE papers_dailyentry SET
        upvotes = NEW.source_upvotes + NEW.local_upvotes,
        published_ts = {POSTGRES_PUBLISHED.format("NEW.published")},
        hidden = NEW.is_hidden
      WHERE paper_id = NEW.id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_paper_keys
    AFTER UPDATE OF source_upvotes, local_upvotes, published, is_hidden ON papers_paper
    FOR EACH ROW WHEN (OLD.source_upvotes IS DISTINCT FROM NEW.source_upvotes
      OR OLD.local_upvotes IS DISTINCT FROM NEW.local_upvotes
      OR OLD.published IS DISTINCT FROM NEW.published
      OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden)
    EXECUTE FUNCTION papers_paper_keys()
    """,
    f"""
    UPDATE papers_dailyentry e SET
      upvotes = p.source_upvotes + p.local_upvotes,
      published_ts = {POSTGRES_PUBLISHED.format("p.published")},
      hidden = p.is_hidden
    FROM papers_paper p WHERE p.id = e.paper_id
    """,
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_entry_keys ON papers_dailyentry",
    "DROP TRIGGER IF EXISTS papers_paper_keys ON papers_paper",
    "DROP FUNCTION IF EXISTS papers_entry_keys()",
    "DROP FUNCTION IF EXISTS papers_paper_keys()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0003_paper_is_hidden"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyentry",
            name="upvotes",
            field=models.IntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AddField(
            model_name="dailyentry",
            name="published_ts",
            field=models.BigIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AddField(
            model_name="dailyentry",
            name="hidden",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        per_vendor(
            {"sqlite": SQLITE, "postgresql": POSTGRES},
            {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE},
        ),
        migrations.AddIndex(
            model_name="dailyentry",
            index=models.Index(
                fields=["day", "upvotes", "published_ts", "paper", "hidden"],
                name="entry_feed_order",
            ),
        ),
        migrations.AddIndex(
            model_name="dailyentry",
            index=models.Index(
                fields=["submitter_name", "day", "upvotes", "published_ts", "paper", "hidden"],
                name="entry_submitter_order",
            ),
        ),
    ]

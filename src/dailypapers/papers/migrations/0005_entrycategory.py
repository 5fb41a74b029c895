"""One row per (feed entry, category) carrying the entry's sort keys, kept by database
triggers, so a category's listing walks its own index in feed order instead of testing every
entry's paper (docs/ranking.md, "Performance"). Also the index for the newest-first order."""

import django.db.models.deletion
from django.db import migrations, models

from dailypapers.papers.triggers import POSTGRES_PUBLISHED, SQLITE_PUBLISHED, per_vendor

# "cs.CL cs.AI" as a JSON array for json_each (SQLite allows no CTE in a trigger); quotes and
# backslashes escaped so an odd value an admin typed cannot break the statement.
SQLITE_TOKENS = (
    "json_each('[\"' || replace(replace(replace({0}, '\\', '\\\\'), '\"', '\\\"'), ' ', '\",\"')"
    " || '\"]')"
)
COLUMNS = "paper_id, category, day, upvotes, published_ts, hidden"


def _sqlite_rows(paper: str, day: str) -> str:
    """The SELECT of one paper's rows: `paper` a papers_paper alias or NEW, `day` the entry's."""
    return (
        f"SELECT {paper}.id, j.value, {day}, {paper}.source_upvotes + {paper}.local_upvotes, "
        f"{SQLITE_PUBLISHED.format(paper + '.published')}, {paper}.is_hidden "
    )


SQLITE = [
    f"""
    CREATE TRIGGER papers_entry_categories_insert AFTER INSERT ON papers_dailyentry BEGIN
      INSERT OR IGNORE INTO papers_entrycategory ({COLUMNS})
      {_sqlite_rows("p", "NEW.day")}
      FROM papers_paper p, {SQLITE_TOKENS.format("p.categories")} j
      WHERE p.id = NEW.paper_id AND j.value != '';
    END
    """,
    """
    CREATE TRIGGER papers_entry_categories_day AFTER UPDATE OF day ON papers_dailyentry
    WHEN OLD.day IS NOT NEW.day BEGIN
      UPDATE papers_entrycategory SET day = NEW.day WHERE paper_id = NEW.paper_id;
    END
    """,
    """
    CREATE TRIGGER papers_entry_categories_delete AFTER DELETE ON papers_dailyentry BEGIN
      DELETE FROM papers_entrycategory WHERE paper_id = OLD.paper_id;
    END
    """,
    f"""
    CREATE TRIGGER papers_paper_category_keys
    AFTER UPDATE OF source_upvotes, local_upvotes, published, is_hidden ON papers_paper
    WHEN OLD.source_upvotes != NEW.source_upvotes OR OLD.local_upvotes != NEW.local_upvotes
      OR OLD.published IS NOT NEW.published OR OLD.is_hidden != NEW.is_hidden
    BEGIN
      UPDATE papers_entrycategory SET
        upvotes = NEW.source_upvotes + NEW.local_upvotes,
        published_ts = {SQLITE_PUBLISHED.format("NEW.published")},
        hidden = NEW.is_hidden
      WHERE paper_id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER papers_paper_categories AFTER UPDATE OF categories ON papers_paper
    WHEN OLD.categories IS NOT NEW.categories BEGIN
      DELETE FROM papers_entrycategory WHERE paper_id = NEW.id;
      INSERT OR IGNORE INTO papers_entrycategory ({COLUMNS})
      {_sqlite_rows("NEW", "e.day")}
      FROM papers_dailyentry e, {SQLITE_TOKENS.format("NEW.categories")} j
      WHERE e.paper_id = NEW.id AND j.value != '';
    END
    """,
    f"""
    INSERT OR IGNORE INTO papers_entrycategory ({COLUMNS})
    {_sqlite_rows("p", "e.day")}
    FROM papers_dailyentry e JOIN papers_paper p ON p.id = e.paper_id,
         {SQLITE_TOKENS.format("p.categories")} j
    WHERE j.value != ''
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_entry_categories_insert",
    "DROP TRIGGER IF EXISTS papers_entry_categories_day",
    "DROP TRIGGER IF EXISTS papers_entry_categories_delete",
    "DROP TRIGGER IF EXISTS papers_paper_category_keys",
    "DROP TRIGGER IF EXISTS papers_paper_categories",
]


def _postgres_rows(paper: str, day: str) -> str:
    return (
        f"SELECT {paper}.id, c, {day}, {paper}.source_upvotes + {paper}.local_upvotes, "
        f"{POSTGRES_PUBLISHED.format(paper + '.published')}, {paper}.is_hidden "
    )


POSTGRES = [
    f"""
    CREATE FUNCTION papers_entry_categories() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM papers_entrycategory WHERE paper_id = OLD.paper_id;
        RETURN NULL;
      END IF;
      IF TG_OP = 'UPDATE' THEN
        IF OLD.day IS NOT DISTINCT FROM NEW.day THEN RETURN NULL; END IF;
        UPDATE papers_entrycategory SET day = NEW.day WHERE paper_id = NEW.paper_id;
        RETURN NULL;
      END IF;
      INSERT INTO papers_entrycategory ({COLUMNS})
      {_postgres_rows("p", "NEW.day")}
      FROM papers_paper p, unnest(string_to_array(p.categories, ' ')) c
      WHERE p.id = NEW.paper_id AND c <> ''
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_entry_categories AFTER INSERT OR UPDATE OR DELETE ON papers_dailyentry
    FOR EACH ROW EXECUTE FUNCTION papers_entry_categories()
    """,
    f"""
    CREATE FUNCTION papers_paper_categories() RETURNS trigger AS $$
    BEGIN
      IF OLD.categories IS DISTINCT FROM NEW.categories THEN
        DELETE FROM papers_entrycategory WHERE paper_id = NEW.id;
        INSERT INTO papers_entrycategory ({COLUMNS})
        {_postgres_rows("NEW", "e.day")}
        FROM papers_dailyentry e, unnest(string_to_array(NEW.categories, ' ')) c
        WHERE e.paper_id = NEW.id AND c <> ''
        ON CONFLICT DO NOTHING;
      ELSE
        UPDATE papers_entrycategory SET
          upvotes = NEW.source_upvotes + NEW.local_upvotes,
          published_ts = {POSTGRES_PUBLISHED.format("NEW.published")},
          hidden = NEW.is_hidden
        WHERE paper_id = NEW.id;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_paper_categories
    AFTER UPDATE OF categories, source_upvotes, local_upvotes, published, is_hidden
    ON papers_paper
    FOR EACH ROW WHEN (OLD.categories IS DISTINCT FROM NEW.categories
      OR OLD.source_upvotes IS DISTINCT FROM NEW.source_upvotes
      OR OLD.local_upvotes IS DISTINCT FROM NEW.local_upvotes
      OR OLD.published IS DISTINCT FROM NEW.published
      OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden)
    EXECUTE FUNCTION papers_paper_categories()
    """,
    f"""
    INSERT INTO papers_entrycategory ({COLUMNS})
    {_postgres_rows("p", "e.day")}
    FROM papers_dailyentry e JOIN papers_paper p ON p.id = e.paper_id,
         unnest(string_to_array(p.categories, ' ')) c
    WHERE c <> ''
    ON CONFLICT DO NOTHING
    """,
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_entry_categories ON papers_dailyentry",
    "DROP TRIGGER IF EXISTS papers_paper_categories ON papers_paper",
    "DROP FUNCTION IF EXISTS papers_entry_categories()",
    "DROP FUNCTION IF EXISTS papers_paper_categories()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0004_dailyentry_sort_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="EntryCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("category", models.CharField(max_length=512)),
                ("day", models.DateField()),
                ("upvotes", models.IntegerField(db_default=0, default=0)),
                ("published_ts", models.BigIntegerField(db_default=0, default=0)),
                ("hidden", models.BooleanField(db_default=False, default=False)),
                (
                    "paper",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entry_categories",
                        to="papers.paper",
                        db_index=False,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["category", "day", "upvotes", "published_ts", "paper", "hidden"],
                        name="entrycategory_feed_order",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=["paper", "category"], name="entrycategory_unique"
                    )
                ],
            },
        ),
        per_vendor(
            {"sqlite": SQLITE, "postgresql": POSTGRES},
            {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE},
        ),
        migrations.AddIndex(
            model_name="dailyentry",
            index=models.Index(fields=["published_ts", "paper", "hidden"], name="entry_newest"),
        ),
    ]

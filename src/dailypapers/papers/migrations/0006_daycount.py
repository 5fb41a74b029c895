"""How many visible papers each feed day lists, kept by database triggers on the entries, so
the latest day, a period's count, the neighbouring days and a deep page's starting day are
read off a few small rows instead of counting entries (docs/ranking.md, "Performance")."""

from django.db import migrations, models

from dailypapers.papers.triggers import per_vendor

SQLITE = [
    """
    CREATE TRIGGER papers_daycount_insert AFTER INSERT ON papers_dailyentry
    WHEN NOT NEW.hidden BEGIN
      INSERT INTO papers_daycount (day, entries) VALUES (NEW.day, 1)
      ON CONFLICT (day) DO UPDATE SET entries = entries + 1;
    END
    """,
    """
    CREATE TRIGGER papers_daycount_delete AFTER DELETE ON papers_dailyentry
    WHEN NOT OLD.hidden BEGIN
      UPDATE papers_daycount SET entries = entries - 1 WHERE day = OLD.day;
    END
    """,
    # Hiding a paper reaches its entry through papers_paper_keys_update (0004), then here.
    """
    CREATE TRIGGER papers_daycount_update AFTER UPDATE OF day, hidden ON papers_dailyentry
    WHEN OLD.day IS NOT NEW.day OR OLD.hidden IS NOT NEW.hidden BEGIN
      UPDATE papers_daycount SET entries = entries - 1 WHERE day = OLD.day AND NOT OLD.hidden;
      INSERT INTO papers_daycount (day, entries) SELECT NEW.day, 1 WHERE NOT NEW.hidden
      ON CONFLICT (day) DO UPDATE SET entries = entries + 1;
    END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_daycount_insert",
    "DROP TRIGGER IF EXISTS papers_daycount_delete",
    "DROP TRIGGER IF EXISTS papers_daycount_update",
]

POSTGRES = [
    """
    CREATE FUNCTION papers_daycount() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.hidden THEN
        UPDATE papers_daycount SET entries = entries - 1 WHERE day = OLD.day;
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') AND NOT NEW.hidden THEN
        INSERT INTO papers_daycount (day, entries) VALUES (NEW.day, 1)
        ON CONFLICT (day) DO UPDATE SET entries = papers_daycount.entries + 1;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_daycount AFTER INSERT OR DELETE ON papers_dailyentry
    FOR EACH ROW EXECUTE FUNCTION papers_daycount()
    """,
    """
    CREATE TRIGGER papers_daycount_update AFTER UPDATE OF day, hidden ON papers_dailyentry
    FOR EACH ROW WHEN (OLD.day IS DISTINCT FROM NEW.day OR OLD.hidden IS DISTINCT FROM NEW.hidden)
    EXECUTE FUNCTION papers_daycount()
    """,
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_daycount ON papers_dailyentry",
    "DROP TRIGGER IF EXISTS papers_daycount_update ON papers_dailyentry",
    "DROP FUNCTION IF EXISTS papers_daycount()",
]

FILL = """
    INSERT INTO papers_daycount (day, entries)
    SELECT day, COUNT(*) FROM papers_dailyentry WHERE NOT hidden GROUP BY day
"""


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0005_entrycategory"),
    ]

    operations = [
        migrations.CreateModel(
            name="DayCount",
            fields=[
                ("day", models.DateField(primary_key=True, serialize=False)),
                ("entries", models.IntegerField(default=0)),
            ],
        ),
        per_vendor(
            {"sqlite": [*SQLITE, FILL], "postgresql": [*POSTGRES, FILL]},
            {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE},
        ),
    ]

"""How many visible papers each feed day lists under each category, kept by database triggers
on the entry-category rows, so a period's category choice sums a few hundred small rows
instead of grouping its papers (docs/ranking.md, "Performance")."""

from django.db import migrations, models

from dailypapers.papers.triggers import per_vendor

SQLITE = [
    """
    CREATE TRIGGER papers_daycategorycount_insert AFTER INSERT ON papers_entrycategory
    WHEN NOT NEW.hidden BEGIN
      INSERT INTO papers_daycategorycount (day, category, entries) VALUES (NEW.day, NEW.category, 1)
      ON CONFLICT (day, category) DO UPDATE SET entries = entries + 1;
    END
    """,
    """
    CREATE TRIGGER papers_daycategorycount_delete AFTER DELETE ON papers_entrycategory
    WHEN NOT OLD.hidden BEGIN
      UPDATE papers_daycategorycount SET entries = entries - 1
      WHERE day = OLD.day AND category = OLD.category;
    END
    """,
    """
    CREATE TRIGGER papers_daycategorycount_update AFTER UPDATE OF day, hidden ON papers_entrycategory
    WHEN OLD.day IS NOT NEW.day OR OLD.hidden IS NOT NEW.hidden BEGIN
      UPDATE papers_daycategorycount SET entries = entries - 1
      WHERE day = OLD.day AND category = OLD.category AND NOT OLD.hidden;
      INSERT INTO papers_daycategorycount (day, category, entries)
      SELECT NEW.day, NEW.category, 1 WHERE NOT NEW.hidden
      ON CONFLICT (day, category) DO UPDATE SET entries = entries + 1;
    END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_daycategorycount_insert",
    "DROP TRIGGER IF EXISTS papers_daycategorycount_delete",
    "DROP TRIGGER IF EXISTS papers_daycategorycount_update",
]

POSTGRES = [
    """
    CREATE FUNCTION papers_daycategorycount() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.hidden THEN
        UPDATE papers_daycategorycount SET entries = entries - 1
        WHERE day = OLD.day AND category = OLD.category;
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') AND NOT NEW.hidden THEN
        INSERT INTO papers_daycategorycount (day, category, entries)
        VALUES (NEW.day, NEW.category, 1)
        ON CONFLICT (day, category) DO UPDATE SET entries = papers_daycategorycount.entries + 1;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER papers_daycategorycount AFTER INSERT OR DELETE ON papers_entrycategory
    FOR EACH ROW EXECUTE FUNCTION papers_daycategorycount()
    """,
    """
    CREATE TRIGGER papers_daycategorycount_update AFTER UPDATE OF day, hidden
    ON papers_entrycategory
    FOR EACH ROW WHEN (OLD.day IS DISTINCT FROM NEW.day OR OLD.hidden IS DISTINCT FROM NEW.hidden)
    EXECUTE FUNCTION papers_daycategorycount()
    """,
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS papers_daycategorycount ON papers_entrycategory",
    "DROP TRIGGER IF EXISTS papers_daycategorycount_update ON papers_entrycategory",
    "DROP FUNCTION IF EXISTS papers_daycategorycount()",
]

FILL = """
    INSERT INTO papers_daycategorycount (day, category, entries)
    SELECT day, category, COUNT(*) FROM papers_entrycategory WHERE NOT hidden
    GROUP BY day, category
"""


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0006_daycount"),
    ]

    operations = [
        migrations.CreateModel(
            name="DayCategoryCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("category", models.CharField(max_length=512)),
                ("entries", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=["day", "category"], name="daycategorycount_unique"
                    )
                ],
            },
        ),
        per_vendor(
            {"sqlite": [*SQLITE, FILL], "postgresql": [*POSTGRES, FILL]},
            {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE},
        ),
    ]

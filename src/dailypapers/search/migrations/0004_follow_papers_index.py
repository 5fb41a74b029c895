"""An index on papers' (modified_at, id): every host's keyword index follows the papers table
by that order from its watermark (search/indexer.py follow_papers; docs/search.md)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_catch_up_index"),
        ("papers", "0007_daycategorycount"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS search_paper_follow ON papers_paper (modified_at, id)",
            "DROP INDEX IF EXISTS search_paper_follow",
        ),
    ]

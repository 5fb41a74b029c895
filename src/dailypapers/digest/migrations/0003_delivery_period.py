"""A round asks which subscriptions have its period already: an index on the period, which
the unique (subscription, period) constraint cannot serve, so that the question does not read
every digest ever sent."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("digest", "0002_jobrun_claimed_at"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["period_key"], name="delivery_period"),
        ),
    ]

"""The page cache as a Django app: staff edits in the admin mark cached pages stale, and
migrate creates the table CACHE_URL=database needs."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class CachingConfig(AppConfig):
    name = "dailypapers.caching"
    label = "caching"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry

        from dailypapers.papers.signals import papers_hidden

        post_migrate.connect(create_cache_table, sender=self)
        # Staff edits in the admin (a title, an author) show on cached pages at once.
        post_save.connect(admin_changed, sender=LogEntry, dispatch_uid="caching-admin")
        # Hiding a paper takes it off every listing at once.
        papers_hidden.connect(admin_changed, dispatch_uid="caching-papers-hidden")


def create_cache_table(**kwargs: Any) -> None:
    """`dailypapers migrate` also makes the table CACHE_URL=database needs."""
    from django.core.management import call_command

    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


def admin_changed(**kwargs: Any) -> None:
    from dailypapers.caching import versions

    versions.site_changed()

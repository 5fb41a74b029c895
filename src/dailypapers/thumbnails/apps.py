from django.apps import AppConfig


class ThumbnailsConfig(AppConfig):
    name = "dailypapers.thumbnails"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The thumbnail on every paper card (papers/cards.py).
        from dailypapers.papers.cards import add_part
        from dailypapers.thumbnails.cards import PART

        add_part(PART)

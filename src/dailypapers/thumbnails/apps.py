from django.apps import AppConfig


class ThumbnailsConfig(AppConfig):
    name = "dailypapers.thumbnails"
    default_auto_field = "django.db.models.BigAutoField"

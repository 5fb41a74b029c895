from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "dailypapers.library"
    label = "library"
    verbose_name = "Library import and export"

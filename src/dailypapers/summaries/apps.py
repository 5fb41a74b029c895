from django.apps import AppConfig


class SummariesConfig(AppConfig):
    name = "dailypapers.summaries"
    label = "summaries"
    verbose_name = "Summaries"

from django.apps import AppConfig


class SummariesConfig(AppConfig):
    name = "dailypapers.summaries"
    label = "summaries"
    verbose_name = "Summaries"

    def ready(self) -> None:
        # The summary line on every paper card (papers/cards.py).
        from dailypapers.papers.cards import add_part
        from dailypapers.summaries.cards import PART

        add_part(PART)

from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "dailypapers.recommend"
    label = "recommend"
    verbose_name = "For you"

    def ready(self) -> None:
        # The feedback buttons on every paper card (papers/cards.py).
        from dailypapers.papers.cards import add_part
        from dailypapers.recommend.cards import PART

        add_part(PART)

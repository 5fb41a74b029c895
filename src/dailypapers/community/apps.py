from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "dailypapers.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        # The upvote button on every paper card (papers/cards.py).
        from dailypapers.community.cards import PART
        from dailypapers.papers.cards import add_part

        add_part(PART)

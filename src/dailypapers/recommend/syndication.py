"""The member's private RSS/Atom feed: their /for-you week, at a secret URL that is never
kept by the page cache (it is not one of caching/pages.py's kept reads)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from dailypapers.api.feedwriter import ListWrittenFeed
from dailypapers.recommend import feed
from dailypapers.recommend.feed import Pick

ITEMS = 30


class PrivateFeed(ListWrittenFeed):
    def __init__(self, atom: bool = False) -> None:
        super().__init__()
        self.feed_type = Atom1Feed if atom else Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> list[Pick]:
        owner: User = kwargs["owner"]
        span = feed.window()
        if span is None:
            return []
        feed.catch_up(owner, span)
        return feed.picks(owner, span, settings.FOR_YOU_WINDOW_DAYS, ITEMS)

    def title(self, obj: list[Pick]) -> str:
        return f"For you · {settings.SITE_NAME}"

    def link(self, obj: list[Pick]) -> str:
        return reverse("recommend:for_you")

    def description(self, obj: list[Pick]) -> str:
        return "Papers of the week ranked for you."

    def items(self, obj: list[Pick]) -> list[Pick]:
        return obj

    def item_title(self, item: Pick) -> str:
        return item.paper.title

    def item_description(self, item: Pick) -> str:
        return f"{item.why}\n\n{item.paper.abstract}"

    def item_link(self, item: Pick) -> str:
        return item.paper.get_absolute_url()

    def item_pubdate(self, item: Pick) -> Any:
        return item.paper.published

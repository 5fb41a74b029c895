"""RSS 2.0 and Atom feeds of the latest papers, a day, a week, a month, trending, a category
and any search query: the same listings as the API (listings.py), through Django's
syndication framework, with an ETag so feed readers ask cheaply (docs/api.md, "Feeds")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import add_domain
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import get_language

from dailypapers.api import listings
from dailypapers.api.feedwriter import ListWrittenFeed
from dailypapers.api.params import CATEGORY, DailyQuery
from dailypapers.api.responses import conditional
from dailypapers.papers.cards import around_id
from dailypapers.papers.models import Paper
from dailypapers.papers.periods import Kind, parse_period
from dailypapers.search.query import MAX_QUERY_CHARS

KIND_ROUTES: dict[Kind, str] = {"day": "papers:day", "week": "papers:week", "month": "papers:month"}


@dataclass
class Listing:
    """What one feed shows: its title, the HTML page it mirrors, and the papers."""

    title: str
    link: str
    description: str
    papers: list[Paper]


class PaperFeed(ListWrittenFeed):
    """One kind of feed (latest, period, trending, category, search), as RSS or as Atom."""

    def __init__(self, kind: str, atom: bool = False) -> None:
        super().__init__()
        self.kind = kind
        self.feed_type = Atom1Feed if atom else Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # One instance serves every request (and thread): nothing is kept on it.
        return conditional(request, super().__call__(request, *args, **kwargs))

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Listing:
        return LISTINGS[self.kind](request, **kwargs)

    def get_feed(self, obj: Listing, request: HttpRequest) -> SyndicationFeed:
        """What Feed.get_feed builds from the methods below, calling them directly rather than
        looking each one up by name for each paper (tests/api/test_feedwriter.py compares
        the two); item_link and the item dates are read once for the whole feed and once a
        paper."""
        domain, secure = get_current_site(request).domain, request.is_secure()
        feed = self.feed_type(
            title=self.title(obj),
            subtitle=self.subtitle(obj),
            link=add_domain(domain, self.link(obj), secure),
            description=self.description(obj),
            language=get_language(),
            feed_url=add_domain(domain, request.path, secure),
        )
        before, after = around_id("papers:paper")
        before = add_domain(domain, before, secure)
        for paper in obj.papers:
            link = f"{before}{paper.arxiv_id}{after}"
            entered = _entered(paper)
            feed.add_item(
                title=self.item_title(paper),
                link=link,
                description=self.item_description(paper),
                unique_id=link,
                pubdate=entered,
                updateddate=entered,
                author_name=self.item_author_name(paper),
                categories=self.item_categories(paper),
            )
        return feed

    def title(self, obj: Listing) -> str:
        return f"{obj.title} · {settings.SITE_NAME}"

    def link(self, obj: Listing) -> str:
        return obj.link

    def description(self, obj: Listing) -> str:
        return obj.description

    def subtitle(self, obj: Listing) -> str:
        return obj.description

    def items(self, obj: Listing) -> list[Paper]:
        return obj.papers

    def item_title(self, item: Paper) -> str:
        return " ".join(item.title.split())

    def item_description(self, item: Paper) -> str:
        return item.abstract

    def item_link(self, item: Paper) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Paper) -> str:
        return ", ".join(item.authors)

    def item_pubdate(self, item: Paper) -> datetime | None:
        return _entered(item)

    def item_updateddate(self, item: Paper) -> datetime | None:
        return _entered(item)

    def item_categories(self, item: Paper) -> list[str]:
        return item.category_list


def _entered(paper: Paper) -> datetime | None:
    return listings.entered_at(paper) or paper.published


def _query(request: HttpRequest, **fields: Any) -> DailyQuery:
    cat = request.GET.get("cat", "")
    return DailyQuery(
        category=cat if CATEGORY.fullmatch(cat) else "", limit=settings.API_FEED_ITEMS, **fields
    )


def _papers(query: DailyQuery) -> list[Paper]:
    return listings.load_papers(listings.daily_paper_ids(query, timezone.now()))


def _with_category(url: str, query: DailyQuery) -> str:
    return f"{url}?{urlencode({'cat': query.category})}" if query.category else url


def _suffix(query: DailyQuery) -> str:
    return f" in {query.category}" if query.category else ""


def latest_listing(request: HttpRequest) -> Listing:
    query = _query(request)
    return Listing(
        title=f"Latest papers{_suffix(query)}",
        link=_with_category(reverse("papers:home"), query),
        description="The newest papers of the daily feed, newest day first.",
        papers=_papers(query),
    )


def period_listing(request: HttpRequest, kind: Kind, slug: str) -> Listing:
    try:
        period = parse_period(kind, slug)
    except ValueError as error:
        raise Http404(f"No such {kind}.") from error
    query = _query(request, period=period)
    return Listing(
        title=f"{period.label}{_suffix(query)}",
        link=_with_category(reverse(KIND_ROUTES[kind], args=[period.slug]), query),
        description=f"The papers of {period.label}, most upvoted first.",
        papers=_papers(query),
    )


def trending_listing(request: HttpRequest) -> Listing:
    query = _query(request, sort="trending")
    return Listing(
        title=f"Trending papers{_suffix(query)}",
        link=_with_category(reverse("papers:trending"), query),
        description="Recent papers ranked by upvotes that count for less as a paper ages.",
        papers=_papers(query),
    )


def category_listing(request: HttpRequest, category: str) -> Listing:
    if not CATEGORY.fullmatch(category):
        raise Http404("No such category.")
    query = replace(_query(request), category=category)
    return Listing(
        title=f"Latest papers in {category}",
        link=_with_category(reverse("papers:home"), query),
        description=f"The newest papers of the daily feed listing {category}.",
        papers=_papers(query),
    )


def search_listing(request: HttpRequest) -> Listing:
    # XML cannot carry control characters: a query holding one is searched without it.
    q = "".join(c for c in request.GET.get("q", "") if c.isprintable())[:MAX_QUERY_CHARS].strip()
    if not q:
        raise Http404("A search feed needs a query: ?q=...")
    return Listing(
        title=f"Search: {q}",
        link=f"{reverse('search:search')}?{urlencode({'q': q})}",
        description=f"The papers that best match “{q}”, best first.",
        papers=listings.search_results(q, settings.API_FEED_ITEMS),
    )


LISTINGS: dict[str, Callable[..., Listing]] = {
    "latest": latest_listing,
    "period": period_listing,
    "trending": trending_listing,
    "category": category_listing,
    "search": search_listing,
}

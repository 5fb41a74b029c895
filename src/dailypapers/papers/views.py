"""Reading pages: the feed by day, week and month, trending, a paper, an author's papers.

Views parse the request, call one query function each from feeds.py and render; every page
works without JavaScript (KaTeX only upgrades the TeX in titles and abstracts).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dailypapers.papers import feeds
from dailypapers.papers.bibtex import bibtex_entry
from dailypapers.papers.models import DailyEntry, Paper
from dailypapers.papers.period_listings import period_feed
from dailypapers.papers.periods import KINDS, Kind, Period, day_period, parse_period
from dailypapers.papers.periods import period_containing as containing

# arXiv categories are tokens like cs.CL or hep-th; anything else is ignored, not searched for.
_CATEGORY = re.compile(r"[\w.\-]{1,64}")
_VERSION = re.compile(r"v\d+$")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The latest day that has papers, on the day template."""
    day = feeds.latest_day()
    if day is None:
        return render(request, "papers/feed.html", {"nav": "latest", "period": None})
    return _feed(request, day_period(day), nav="latest")


@require_safe
def period_page(request: HttpRequest, kind: Kind, slug: str) -> HttpResponse:
    try:
        period = parse_period(kind, slug)
    except ValueError as error:
        raise Http404(f"No such {kind}.") from error
    return _feed(request, period, nav="")


def _feed(request: HttpRequest, period: Period, nav: str) -> HttpResponse:
    category, has_code = _category(request), _has_code(request)
    feed = _page(period_feed, period, category, request.GET.get("page", 1), has_code)
    anchor = feeds.last_day_within(period) or period.start
    context = {
        "nav": nav,
        "period": period,
        "feed": feed,
        "category": category,
        "has_code": has_code,
        "categories": _offered(feeds.categories_between(period.start, period.end), category),
        "neighbours": feeds.neighbours(period, category),
        # Links to the same moment seen by day, week and month.
        "views": [period if kind == period.kind else containing(kind, anchor) for kind in KINDS],
    }
    return render(request, "papers/feed.html", context)


@require_safe
def trending(request: HttpRequest) -> HttpResponse:
    window = feeds.trending_window(timezone.now())
    context: dict[str, Any] = {"nav": "trending", "window": window}
    if window is not None:
        category, has_code = _category(request), _has_code(request)
        number = request.GET.get("page", 1)
        feed = _page(feeds.trending_feed, window, category, number, has_code)
        context.update(
            category=category,
            has_code=has_code,
            categories=_offered(feeds.categories_between(window.start, window.end), category),
            feed=feed,
        )
    return render(request, "papers/trending.html", context)


@require_safe
def paper(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    if _VERSION.search(arxiv_id):
        # One page per paper whatever version a link names; the page says the latest.
        return redirect("papers:paper", _VERSION.sub("", arxiv_id), permanent=True)
    found = _paper_or_404(arxiv_id)
    # Votes, comments, collections and similar papers come from their apps' template tags.
    context = {
        "paper": found,
        "entry": _entry(found),
        "canonical": request.build_absolute_uri(found.get_absolute_url()),
    }
    return render(request, "papers/paper.html", context)


@require_safe
def paper_bibtex(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    if _VERSION.search(arxiv_id):
        return redirect("papers:bibtex", _VERSION.sub("", arxiv_id), permanent=True)
    response = HttpResponse(
        bibtex_entry(_paper_or_404(arxiv_id)), content_type="text/plain; charset=utf-8"
    )
    filename = arxiv_id.replace("/", "_") + ".bib"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def author(request: HttpRequest, name: str) -> HttpResponse:
    feed = _page(feeds.author_feed, name, request.GET.get("page", 1))
    if not feed.page.paginator.count:
        raise Http404("No papers by that author.")
    context = {"name": name, "feed": feed}
    return render(request, "papers/author.html", context)


def _page(query: Any, *args: Any) -> feeds.FeedPage:
    """Run a paginated feed query; a page number that does not exist is a 404."""
    try:
        page: feeds.FeedPage = query(*args)
    except InvalidPage as error:
        raise Http404("No such page.") from error
    return page


def _category(request: HttpRequest) -> str:
    category = request.GET.get("cat", "").strip()
    return category if _CATEGORY.fullmatch(category) else ""


def _has_code(request: HttpRequest) -> bool:
    """The "has code" checkbox: only papers naming a code repository."""
    return request.GET.get("code", "") == "1"


def _offered(categories: list[feeds.CategoryCount], chosen: str) -> list[feeds.CategoryCount]:
    """The categories for the select, plus the chosen one when the period has none of it."""
    if chosen and all(item.name != chosen for item in categories):
        return sorted([*categories, feeds.CategoryCount(chosen, 0)], key=lambda item: item.name)
    return categories


def _paper_or_404(arxiv_id: str) -> Paper:
    found = feeds.get_paper(arxiv_id)
    if found is None:
        raise Http404("No such paper.")
    return found


def _entry(paper: Paper) -> DailyEntry | None:
    try:
        return paper.daily_entry
    except DailyEntry.DoesNotExist:
        return None

"""What search engines read: robots.txt, and a sitemap of every visible paper's page.

The sitemap is an index of files of at most `CHUNK` paper ids each, chosen by id range, so
each file is one bounded range scan of the primary key, at 2,000 papers as at 3 million (no
OFFSET, no count of the table: the index reads only the largest id). A file may hold fewer
than `CHUNK` pages (ids of hidden or deleted papers) and an empty one is still valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape

from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from dailypapers.papers.models import Paper

CHUNK = 50_000  # the sitemap protocol's limit of URLs per file
_ID = "0000.00000"  # any id: a paper's URL reversed once, the ids put in its place
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Pages no crawler should fetch: a member's own, forms, the API and search results.
PRIVATE = (
    "/accounts/",
    "/admin/",
    "/api/",
    "/digest/",
    "/for-you",
    "/library/",
    "/search",
    "/submit",
    "/users/",
)


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('papers:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """One entry for the reading pages, then one per range of `CHUNK` paper ids."""
    files = [reverse("papers:sitemap_pages")]
    files += [reverse("papers:sitemap_papers", args=[n]) for n in range(_last_chunk() + 1)]
    entries = "".join(
        f"<sitemap><loc>{escape(request.build_absolute_uri(path))}</loc></sitemap>"
        for path in files
    )
    return _xml(f'<sitemapindex xmlns="{XMLNS}">{entries}</sitemapindex>')


@require_safe
def sitemap_pages(request: HttpRequest) -> HttpResponse:
    """The pages that change every day: the latest papers and trending."""
    paths = [reverse("papers:home"), reverse("papers:trending")]
    return _urlset(_url(request.build_absolute_uri(path), changefreq="daily") for path in paths)


@require_safe
def sitemap_papers(request: HttpRequest, number: int) -> HttpResponse:
    """The pages of the visible papers whose ids fall in the `number`th range."""
    if number > _last_chunk():
        raise Http404("no such sitemap")
    rows = chunk(number).values_list("arxiv_id", "updated", "published")
    page = request.build_absolute_uri(reverse("papers:paper", args=[_ID]))
    before, _, after = page.partition(_ID)
    return _urlset(
        _url(f"{before}{arxiv_id}{after}", lastmod=updated or published)
        for arxiv_id, updated, published in rows.iterator(chunk_size=5_000)
    )


def chunk(number: int) -> QuerySet[Paper]:
    """The visible papers of the `number`th id range, by id: a range scan of the primary key."""
    start = number * CHUNK
    return Paper.objects.filter(id__gte=start, id__lt=start + CHUNK, is_hidden=False).order_by("id")


def _last_chunk() -> int:
    """The number of the range holding the largest id (reads one end of the primary key)."""
    return (Paper.objects.aggregate(top=Max("id"))["top"] or 0) // CHUNK


def _url(location: str, *, lastmod: datetime | None = None, changefreq: str = "") -> str:
    parts = [f"<loc>{escape(location)}</loc>"]
    if lastmod is not None:
        parts.append(f"<lastmod>{lastmod.date().isoformat()}</lastmod>")
    if changefreq:
        parts.append(f"<changefreq>{changefreq}</changefreq>")
    return f"<url>{''.join(parts)}</url>"


def _urlset(urls: Iterable[str]) -> HttpResponse:
    return _xml(f'<urlset xmlns="{XMLNS}">{"".join(urls)}</urlset>')


def _xml(body: str) -> HttpResponse:
    document = f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
    return HttpResponse(document, content_type="application/xml; charset=utf-8")

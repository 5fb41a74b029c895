"""URLs of the reading pages: feeds by period, trending, papers and their BibTeX, authors."""

from django.urls import path, register_converter

from dailypapers.papers import crawlers, views


class ArxivIdConverter:
    """New-style 2501.01234 and old-style hep-th/9901001 ids, with an optional version.

    The same pattern ingest.parsed accepts; a version is redirected away by the view.
    """

    regex = r"(?:\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ArxivIdConverter, "arxiv")

app_name = "papers"
urlpatterns = [
    path("", views.home, name="home"),
    path("date/<str:slug>", views.period_page, {"kind": "day"}, name="day"),
    path("week/<str:slug>", views.period_page, {"kind": "week"}, name="week"),
    path("month/<str:slug>", views.period_page, {"kind": "month"}, name="month"),
    path("trending", views.trending, name="trending"),
    path("papers/<arxiv:arxiv_id>.bib", views.paper_bibtex, name="bibtex"),
    path("papers/<arxiv:arxiv_id>", views.paper, name="paper"),
    path("authors/<path:name>", views.author, name="author"),
    path("robots.txt", crawlers.robots, name="robots"),
    path("sitemap.xml", crawlers.sitemap_index, name="sitemap"),
    path("sitemaps/pages.xml", crawlers.sitemap_pages, name="sitemap_pages"),
    path("sitemaps/papers-<int:number>.xml", crawlers.sitemap_papers, name="sitemap_papers"),
]

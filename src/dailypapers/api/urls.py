"""URLs of the JSON API (Hugging Face's paths), the paper as Markdown, the RSS and Atom feeds,
and the token forms of the settings page. Included before the papers app, so /papers/<id>.md
is answered here."""

from django.urls import URLPattern, path, re_path

from dailypapers.api import views
from dailypapers.api.feeds import PaperFeed
from dailypapers.papers.urls import ArxivIdConverter  # noqa: F401 - registers <arxiv:...>

app_name = "api"


def _feeds(route: str, feed: str, name: str, **extra: str) -> list[URLPattern]:
    """The same feed as RSS 2.0 (<route>.rss) and as Atom (<route>.atom)."""
    return [
        path(f"{route}.rss", PaperFeed(feed), extra, name=f"{name}_rss"),
        path(f"{route}.atom", PaperFeed(feed, atom=True), extra, name=f"{name}_atom"),
    ]


urlpatterns = [
    path("api/daily_papers", views.daily_papers, name="daily_papers"),
    path("api/papers/search", views.search, name="search"),
    path("api/papers/submit", views.submit, name="submit"),
    path("api/submissions/<int:submission_id>", views.submission, name="submission"),
    path("api/papers/<arxiv:arxiv_id>/upvote", views.upvote, name="upvote"),
    path("api/papers/<arxiv:arxiv_id>/comment", views.comment, name="comment"),
    path("api/papers/<arxiv:arxiv_id>", views.paper, name="paper"),
    path("api/openapi.json", views.openapi_document, name="openapi"),
    path("api/docs", views.docs, name="docs"),
    re_path(r"^api/(?P<rest>[\s\S]*)$", views.not_found),
    path("papers/<arxiv:arxiv_id>.md", views.paper_as_markdown, name="markdown"),
    re_path(r"^papers/(?P<rest>[\s\S]+)\.md$", views.not_found),
    *_feeds("feeds/latest", "latest", "latest"),
    *_feeds("feeds/date/<str:slug>", "period", "day", kind="day"),
    *_feeds("feeds/week/<str:slug>", "period", "week", kind="week"),
    *_feeds("feeds/month/<str:slug>", "period", "month", kind="month"),
    *_feeds("feeds/trending", "trending", "trending"),
    *_feeds("feeds/categories/<str:category>", "category", "category"),
    *_feeds("feeds/search", "search", "search"),
    path("accounts/tokens", views.token_create, name="token_create"),
    path("accounts/tokens/<int:token_id>/revoke", views.token_revoke, name="token_revoke"),
]

"""{% feed_alternates "day" period.slug category %}: the <link rel="alternate"> tags that let
browsers and feed readers find a page's RSS and Atom feeds (docs/api.md, "Feeds")."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

TYPES = (("rss", "application/rss+xml", "RSS"), ("atom", "application/atom+xml", "Atom"))
TITLES = {
    "latest": "Latest papers",
    "day": "Papers of {}",
    "week": "Papers of week {}",
    "month": "Papers of {}",
    "trending": "Trending papers",
    "category": "Latest papers in {}",
    "search": "Search: {}",
}


@register.simple_tag
def feed_alternates(kind: str, value: str = "", category: str = "") -> SafeString:
    """Both formats of the feed of `kind` (named by `value`: a period slug, a category or a
    query), narrowed to `category` when the page is."""
    query = {"q": value} if kind == "search" else ({"cat": category} if category else {})
    args = [value] if kind in ("day", "week", "month", "category") else []
    title = TITLES[kind].format(value) + (
        f" in {category}" if category and kind != "category" else ""
    )
    suffix = f"?{urlencode(query)}" if query else ""
    links = [
        (
            media,
            f"{title} · {settings.SITE_NAME} ({label})",
            reverse(f"api:{kind}_{ext}", args=args) + suffix,
        )
        for ext, media, label in TYPES
    ]
    return format_html_join(
        "\n", '<link rel="alternate" type="{}" title="{}" href="{}">', links
    ) or format_html("")

"""Members' Markdown to safe HTML: math kept for KaTeX, raw HTML escaped, then sanitized.

Math spans are set aside before Markdown runs, so `$a_1 * b_2$` is not read as emphasis,
and put back as plain (escaped) text for the page's KaTeX auto-render.
"""

from __future__ import annotations

import html
import re
import secrets

import nh3
from markdown_it import MarkdownIt

# Inline $...$ as pandoc reads it: no space just inside the dollars, no digit right after.
_MATH = re.compile(
    r"\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)|(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)",
    re.DOTALL,
)
_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
}


def render_markdown(text: str) -> str:
    """HTML safe to put in a page as is; links open nothing but http(s) and mailto."""
    spans: list[str] = []
    marker = f"dpmath{secrets.token_hex(6)}n"  # letters only: Markdown leaves it alone

    def set_aside(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"{marker}{len(spans) - 1}x"

    rendered = _RENDERER.render(_MATH.sub(set_aside, text))
    rendered = re.sub(
        rf"{marker}(\d+)x", lambda m: html.escape(spans[int(m.group(1))], quote=False), rendered
    )
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )

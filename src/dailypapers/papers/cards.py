"""A listing's paper cards, rendered in Python: thirty `{% include %}`s of a card template were
most of a feed page's time (docs/benchmarks.md, "Cards rendered in Python").

The card is the core's; each feature adds its part (the upvote button, the thumbnail, the
summary line, the feedback buttons) by registering a `CardPart` from its `AppConfig.ready()`,
so papers/ imports no feature (../shared/STYLE.md). A part may load what it needs for the
whole listing once (`load`: one query for thirty cards), then renders one card's piece from it.

Templates use the tags of papers/templatetags/reading.py: `{% paper_cards papers %}`, or
`{% card_listing papers as listing %}` then `{% card listing paper %}` where a page adds its
own markup between cards.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from dailypapers.papers.models import Paper
from dailypapers.papers.tex import tex_html
from dailypapers.papers.text import author_line, excerpt, http_url

# Where a part goes: before the card's columns, the side column, in place of the abstract's
# excerpt (the first part with something to say wins), an item of the facts list.
Slot = Literal["figure", "side", "summary", "meta"]
SLOTS: tuple[Slot, ...] = ("figure", "side", "summary", "meta")

# An arXiv id as it stands in a URL: ids are digits, letters, dots, dashes and slashes, all
# left as they are by reverse(), so one reversed URL serves every paper of a listing.
_PLACEHOLDER = "0000.00000"
# What htmx replaces when a card leaves (a page may name another, as /for-you does).
CARD_TARGET = "closest article"


def around_id(name: str) -> tuple[str, str]:
    """What reverse(name, args=[arxiv_id]) writes before and after the id, for any id."""
    before, _, after = reverse(name, args=[_PLACEHOLDER]).partition(_PLACEHOLDER)
    return before, after


def escape(text: object) -> str:
    """What Django's autoescaping writes for a value (django.utils.html.escape), as a str."""
    return html.escape(str(text))


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class Listing:
    """What the cards of one listing share: the request (its reader, CSRF token and path),
    where a plain POST from a card returns (`back`), the element htmx replaces when a card
    leaves (`target`), and what each part loaded for all the papers (`loaded`)."""

    papers: list[Paper]
    request: HttpRequest | None
    back: str = ""
    target: str = CARD_TARGET
    loaded: dict[str, Any] = field(default_factory=dict)
    _urls: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.back and self.request is not None:
            self.back = self.request.get_full_path()

    @cached_property
    def user(self) -> Any:
        return getattr(self.request, "user", None)

    @property
    def is_member(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    @cached_property
    def csrf_input(self) -> str:
        """The hidden CSRF field, as `{% csrf_token %}` writes it (one token for the page)."""
        if self.request is None:
            return ""
        token = escape(get_token(self.request))
        return f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'

    def paper_url(self, name: str, paper: Paper) -> str:
        """reverse(name, args=[paper.arxiv_id]), reversed once per listing."""
        if name not in self._urls:
            self._urls[name] = around_id(name)
        before, after = self._urls[name]
        return f"{before}{paper.arxiv_id}{after}"

    def card(self, paper: Paper) -> SafeString:
        return mark_safe(render_card(paper, self))


@dataclass(frozen=True)
class CardPart:
    """A feature's piece of every card: `render(paper, listing)` returns escaped HTML ("" for
    nothing); `load(listing)`, when given, runs once per listing and its result is
    `listing.loaded[name]`."""

    name: str
    slot: Slot
    render: Callable[[Paper, Listing], str]
    load: Callable[[Listing], Any] | None = None


_parts: dict[str, CardPart] = {}


def add_part(part: CardPart) -> None:
    """Register (or replace, by name) a part; parts of a slot render in registration order."""
    _parts[part.name] = part


def listing(
    papers: Iterable[Paper],
    request: HttpRequest | None,
    *,
    back: str = "",
    target: str = "",
) -> Listing:
    """A listing of these papers with every part's state loaded."""
    made = Listing(list(papers), request, back=back, target=target or CARD_TARGET)
    for part in _parts.values():
        if part.load is not None:
            made.loaded[part.name] = part.load(made)
    return made


def render_cards(
    papers: Iterable[Paper], request: HttpRequest | None, *, back: str = "", target: str = ""
) -> SafeString:
    made = listing(papers, request, back=back, target=target)
    return mark_safe("".join(render_card(paper, made) for paper in made.papers))


def render_card(paper: Paper, listing: Listing) -> str:
    """One card, after Hugging Face's list: its first page, the upvote button at the side, then
    title, authors, summary line (or excerpt) and the facts a reader scans."""
    pieces: dict[str, list[str]] = {slot: [] for slot in SLOTS}
    for part in _parts.values():
        piece = part.render(paper, listing)
        if piece:
            pieces[part.slot].append(piece)
    pk, url = paper.pk, listing.paper_url("papers:paper", paper)
    figure = "".join(pieces["figure"])
    out = [
        f'<article class="card{" has-thumb" if figure else ""}" aria-labelledby="paper-{pk}">',
        figure,
        f'<div class="card-side">{"".join(pieces["side"])}</div>',
        '<div class="card-body">',
        f'<h2 class="card-title" id="paper-{pk}"><a href="{url}" data-math>'
        f"{tex_html(paper.title, links=False)}</a></h2>",
    ]
    if paper.authors:
        out.append(f'<p class="authors">{escape(author_line(paper.authors))}</p>')
    if pieces["summary"]:
        out.append(pieces["summary"][0])
    elif paper.abstract:
        out.append(abstract_excerpt_html(paper.abstract))
    out.append(f'<ul class="meta"><li>{card_date(paper)}</li>')
    out.extend(f"<li>{piece}</li>" for piece in pieces["meta"])
    out.extend(_facts(paper, url))
    out.append(f"</ul>{category_tags(paper)}</div></article>")
    return "".join(out)


def excerpt_html(shown: str) -> str:
    """The abstract's excerpt on a card, `shown` being escaped HTML already."""
    return f'<p class="excerpt" data-math>{shown}</p>'


def abstract_excerpt_html(abstract: str) -> str:
    """The start of the abstract on a card, its TeX shown as it reads (papers/tex.py)."""
    return excerpt_html(tex_html(excerpt(abstract)))


def category_tags(paper: Paper) -> str:
    """The paper's categories as tags, "" when it has none."""
    if not paper.categories:
        return ""
    tags = "".join(f"<li>{escape(name)}</li>" for name in paper.category_list)
    return f'<ul class="tags" aria-label="Categories">{tags}</ul>'


def card_date(paper: Paper) -> str:
    """A <time> for when the paper appeared: published, else the day it entered the feed."""
    if paper.published:
        day = timezone.localtime(paper.published).date()
    else:
        entry = daily_entry(paper)
        if entry is None:
            return ""
        day = entry.day
    return f'<time datetime="{day.isoformat()}">{day.day} {day.strftime("%b %Y")}</time>'


def daily_entry(paper: Paper) -> Any:
    try:
        return paper.daily_entry
    except ObjectDoesNotExist:
        return None


def _facts(paper: Paper, url: str) -> list[str]:
    """Who submitted it, the comments, the code: the card's facts after the date."""
    facts = []
    entry = daily_entry(paper)
    if entry is not None and entry.submitter_name:
        facts.append(f'<li class="submitter">Submitted by {escape(entry.submitter_name)}</li>')
    comments = plural(paper.num_comments, "comment")
    facts.append(f'<li><a class="comments-link" href="{url}#comments">{comments}</a></li>')
    code = http_url(paper.github_repo)
    if code:
        stars = ""
        if paper.github_stars is not None:
            count = paper.github_stars
            stars = (
                f' <span class="stars" title="GitHub stars"><span aria-hidden="true">★</span> '
                f'{count}<span class="visually-hidden"> GitHub star{"" if count == 1 else "s"}'
                "</span></span>"
            )
        facts.append(f'<li class="code"><a href="{escape(code)}">Code</a>{stars}</li>')
    return facts

"""The feeds written into a list of strings are, byte for byte, what Django's syndication
framework writes: for hand-made feeds with every kind of awkward text, and for the site's own
feeds against Feed.get_feed and Django's XML writer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.syndication.views import Feed as DjangoFeed
from django.test import RequestFactory
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.xmlutils import UnserializableContentError

from dailypapers.api.feeds import LISTINGS, PaperFeed
from dailypapers.api.feedwriter import feed_text
from tests.api.conftest import Feed

AWKWARD = "Quotes \" and ' & <tags> > ümlauts, ∑ math $x<y$,\nnew line\tand tab"


def hand_made(feed_type: type[SyndicationFeed]) -> SyndicationFeed:
    feed = feed_type(
        title=f"Feed {AWKWARD}",
        link="http://example.org/a?b=1&c=2",
        description=AWKWARD,
        subtitle=AWKWARD,
        language="en",
        feed_url='http://example.org/feed?q="x"&y',
        categories=["cs.LG", AWKWARD],
    )
    stamp = datetime(2026, 6, 10, 9, 30, 15, tzinfo=UTC)
    feed.add_item(
        title=AWKWARD,
        link="http://example.org/papers/2606.01001",
        description=AWKWARD,
        unique_id="http://example.org/papers/2606.01001",
        pubdate=stamp,
        updateddate=stamp,
        author_name='Ana Ö\'Neil & "Bo"',
        categories=["cs.LG", "q-bio.BM"],
    )
    feed.add_item(title="", link="http://example.org/x", description=None)  # empty elements
    feed.add_item(title="Plain", link="http://example.org/y", description="", categories=[])
    return feed


@pytest.mark.parametrize("feed_type", [Rss201rev2Feed, Atom1Feed])
def test_the_list_writer_writes_what_django_writes(feed_type: type[SyndicationFeed]) -> None:
    feed = hand_made(feed_type)
    written = feed_text(feed)
    assert written == feed.writeString("utf-8")
    assert "&amp;" in written and "&lt;tags&gt;" in written  # escaped, not dropped


@pytest.mark.parametrize("feed_type", [Rss201rev2Feed, Atom1Feed])
def test_control_characters_are_refused_as_django_refuses_them(
    feed_type: type[SyndicationFeed],
) -> None:
    feed = feed_type(title="t", link="http://example.org/", description="d")
    feed.add_item(title="bell \x07", link="http://example.org/x", description="d")
    with pytest.raises(UnserializableContentError):
        feed.writeString("utf-8")
    with pytest.raises(UnserializableContentError):
        feed_text(feed)


@pytest.mark.parametrize("atom", [False, True])
@pytest.mark.parametrize(
    ("kind", "path", "kwargs"),
    [
        ("latest", "/feeds/latest", {}),
        ("period", "/feeds/week/2026-W24", {"kind": "week", "slug": "2026-W24"}),
        ("trending", "/feeds/trending", {}),
    ],
)
def test_site_feeds_match_djangos_own_get_feed_and_writer(
    feed: Feed, kind: str, path: str, kwargs: dict[str, str], atom: bool
) -> None:
    request = RequestFactory().get(path + (".atom" if atom else ".rss"), secure=True)
    view = PaperFeed(kind, atom=atom)
    listing = LISTINGS[kind](request, **kwargs)
    assert listing.papers, "the fixture's feed lists papers"
    ours = view.get_feed(listing, request)
    djangos = DjangoFeed.get_feed(view, listing, request)  # the item_* methods, by name
    assert feed_text(ours) == djangos.writeString("utf-8")
    assert "https://testserver/papers/" in feed_text(ours)
    answer = view(request, **kwargs)
    assert answer.status_code == 200
    assert answer.content == djangos.writeString("utf-8").encode()

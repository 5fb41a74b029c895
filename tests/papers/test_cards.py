"""Paper cards rendered in Python (papers/cards.py): the core card, the parts features register,
escaping, and one load per listing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory
from django.urls import reverse

from dailypapers.community.votes import set_vote
from dailypapers.papers import cards
from dailypapers.papers.models import Paper
from dailypapers.recommend import feedback
from tests.papers.factories import add_paper


@pytest.fixture
def counted_part() -> Iterator[list[int]]:
    """A part in the facts list that counts its loads; removed afterwards."""
    loads: list[int] = []

    def load(listing: cards.Listing) -> int:
        loads.append(len(listing.papers))
        return len(loads)

    def render(paper: Paper, listing: cards.Listing) -> str:
        return f'<span class="probe">{paper.pk} of load {listing.loaded["probe"]}</span>'

    cards.add_part(cards.CardPart("probe", "meta", render, load))
    yield loads
    del cards._parts["probe"]


def test_a_registered_part_loads_once_per_listing_and_renders_in_its_slot(
    db: None, counted_part: list[int]
) -> None:
    papers = [add_paper(), add_paper(), add_paper()]
    html = cards.render_cards(papers, None)
    assert counted_part == [3]
    assert html.count('class="probe"') == 3
    for paper in papers:
        assert f'<li><span class="probe">{paper.pk} of load 1</span></li>' in html


def test_the_core_card_shows_the_paper_and_escapes_what_sources_wrote(db: None) -> None:
    paper = add_paper(
        title="Attention <script>alert(1)</script> & more",
        authors=["A <b>One</b>", "B Two", "C Three", "D Four"],
        abstract="We study <i>things</i>.",
        github_repo="javascript:alert(1)",
    )
    html = cards.render_cards([paper], None)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "A &lt;b&gt;One&lt;/b&gt;, B Two, C Three + 1 more" in html
    assert "We study &lt;i&gt;things&lt;/i&gt;." in html
    assert "javascript:" not in html and 'class="code"' not in html
    assert f'<h2 class="card-title" id="paper-{paper.pk}"><a href="{paper.get_absolute_url()}"' in (
        html
    )
    assert '<ul class="tags" aria-label="Categories"><li>cs.CL</li></ul>' in html


def test_the_card_shows_text_mode_tex_and_links_nothing_inside_its_title(db: None) -> None:
    paper = add_paper(
        title=r"\emph{See} https://a.org/x --- and \textbf{more}",
        abstract=r"A \textit{new} key--value cache, 5\% faster, at https://a.org/code.",
    )
    html = cards.render_cards([paper], None)
    assert "<em>See</em> https://a.org/x — and <strong>more</strong></a></h2>" in html
    assert (
        '<p class="excerpt" data-math>A <em>new</em> key–value cache, 5% faster, at '
        '<a href="https://a.org/code" rel="nofollow noopener">https://a.org/code</a>.</p>'
    ) in html


def test_links_of_old_style_ids_are_those_reverse_makes(db: None) -> None:
    """The listing reverses each URL once and puts each paper's id in it."""
    paper = add_paper(arxiv_id="hep-th/9901001", github_repo="https://github.com/a/b")
    html = cards.render_cards([paper], None)
    assert f'href="{reverse("papers:paper", args=["hep-th/9901001"])}"' in html
    assert 'href="/papers/hep-th/9901001#comments"' in html
    assert '<li class="code"><a href="https://github.com/a/b">Code</a></li>' in html


def test_anonymous_cards_carry_no_token_and_no_member_buttons(db: None) -> None:
    paper = add_paper()
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = cards.render_cards([paper], request)
    assert "csrfmiddlewaretoken" not in html and "<li></li>" not in html
    assert f'action="{reverse("accounts:login")}"' in html and "Not relevant" not in html


def test_a_member_sees_their_votes_and_marks_on_every_card(db: None) -> None:
    member = User.objects.create_user("reader", password="x")
    voted, seen, plain = add_paper(), add_paper(), add_paper()
    set_vote(member, voted.pk, True)
    feedback.mark(member, seen.pk, "seen")
    request = RequestFactory().get("/date/2025-01-03")
    request.user = member
    listing = cards.listing([voted, seen, plain], request)
    html = {paper.pk: str(listing.card(paper)) for paper in (voted, seen, plain)}
    assert f'id="vote-{voted.pk}" aria-pressed="true"' in html[voted.pk]
    assert f'id="vote-{plain.pk}" aria-pressed="false"' in html[plain.pk]
    assert "Seen ✓" in html[seen.pk] and "Mark seen" in html[plain.pk]
    for card in html.values():
        # One token for the page in each of the three forms, and the way back.
        assert card.count("csrfmiddlewaretoken") == 3
        assert card.count('name="next" value="/date/2025-01-03"') == 3

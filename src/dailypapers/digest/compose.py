"""What a digest holds and how it reads: the period's top trending papers a subscriber has not
been sent yet, then their alerts' new matches under "why you got this", rendered as text and
as HTML with inline CSS (no scripts, no remote images).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dailypapers.digest import subscriptions
from dailypapers.digest.models import Alert, SentPaper, Subscription
from dailypapers.digest.schedule import DigestPeriod
from dailypapers.papers import feeds
from dailypapers.papers.models import Paper, PaperAuthor
from dailypapers.papers.tex import tex_plain
from dailypapers.papers.text import excerpt
from dailypapers.recommend.delivery import SECTION as FOR_YOU
from dailypapers.recommend.delivery import for_you_items

logger = logging.getLogger(__name__)
EXCERPT_CHARS = 280
AUTHORS_SHOWN = 5


@dataclass
class DigestItem:
    paper: Paper
    why: str = ""  # empty for trending papers; the alert that matched otherwise
    section: str = ""  # "for-you": the member's own picks (recommend/delivery.py)

    @property
    def authors(self) -> str:
        names = list(self.paper.authors)
        shown = ", ".join(names[:AUTHORS_SHOWN])
        return shown + (" et al." if len(names) > AUTHORS_SHOWN else "")

    @property
    def title(self) -> str:
        """The title as plain text: a mail reader renders no TeX (papers/tex.py)."""
        return tex_plain(self.paper.title)

    @property
    def excerpt(self) -> str:
        return abstract_excerpt(self.paper.abstract)


@dataclass
class RenderedDigest:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


@dataclass
class RoundPapers:
    """What every digest of one period shares, computed once per round: the period's papers
    by trending score and each alert's matches among them."""

    period: DigestPeriod
    trending: list[int] = field(default_factory=list)
    _matches: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, period: DigestPeriod) -> RoundPapers:
        tz = timezone.get_current_timezone()
        end_of_period = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz)
        window = feeds.TrendingWindow(period.start, period.end, min(period.due_at, end_of_period))
        return cls(period, feeds.trending_ids(window))

    def matches(self, alert: Alert) -> list[int]:
        key = (alert.kind, alert.value)
        if key not in self._matches:
            self._matches[key] = _alert_matches(alert, self.period, set(self.trending))
        return self._matches[key]


def choose_items(subscription: Subscription, shared: RoundPapers) -> list[dict[str, Any]]:
    """The digest's papers as the outbox stores them: [{"paper": id, "why": text}].

    Papers the subscription was ever sent are left out (the at-most-once rule); see
    docs/digest.md.
    """
    alerts = list(subscription.alerts.all())
    # Everything a digest may hold lies in the period, so the period's sent papers suffice.
    period = shared.period
    sent = set(
        SentPaper.objects.filter(
            subscription=subscription,
            paper__daily_entry__day__range=(period.start, period.end),
        ).values_list("paper_id", flat=True)
    )
    chosen = [pk for pk in shared.trending if pk not in sent][: settings.DIGEST_TOP_N]
    items = [{"paper": pk, "why": ""} for pk in chosen]
    taken = set(chosen) | sent
    for alert in alerts:
        for pk in shared.matches(alert):
            if pk not in taken and len(items) < settings.DIGEST_TOP_N + settings.DIGEST_ALERT_MAX:
                items.append({"paper": pk, "why": why(alert)})
                taken.add(pk)
    if subscription.user_id is not None:  # a member's digest: their For you section
        items += for_you_items(subscription.user, period.start, period.end, taken)  # type: ignore[arg-type]
    return items


def why(alert: Alert) -> str:
    if alert.kind == Alert.Kind.CATEGORY:
        return f"New in {alert.value}, a category you follow"
    if alert.kind == Alert.Kind.AUTHOR:
        return f"By {alert.value}, an author you follow"
    return f"Matches your saved search “{alert.value}”"


def abstract_excerpt(abstract: str) -> str:
    """The abstract as plain text on one line, cut at a word within EXCERPT_CHARS."""
    return excerpt(" ".join(tex_plain(abstract).split()), EXCERPT_CHARS)


@dataclass
class RenderCache:
    """What the messages of a round share: the papers, and each paper's block as rendered
    once per format and reason (most of a digest's rendering time otherwise)."""

    papers: dict[int, Paper] = field(default_factory=dict)
    blocks: dict[tuple[int, str, str], str] = field(default_factory=dict)

    def load(self, ids: list[int]) -> dict[int, Paper]:
        """Papers by id, each loaded once; hidden ones left out."""
        missing = [pk for pk in ids if pk not in self.papers]
        if missing:
            self.papers.update(feeds.visible_papers().in_bulk(missing))
        return {pk: self.papers[pk] for pk in ids if pk in self.papers}

    def block(self, item: DigestItem, kind: str, site_url: str) -> str:
        key = (item.paper.id, item.why, kind)
        if key not in self.blocks:
            context = {"item": item, "site_url": site_url}
            self.blocks[key] = render_to_string(f"digest/email/_paper.{kind}", context)
        return self.blocks[key]


def render(
    subscription: Subscription,
    period_label: str,
    items: list[dict[str, Any]],
    site_url: str,
    cache: RenderCache | None = None,
) -> RenderedDigest:
    """The message for these items; the same items render the same message (retries)."""
    cache = cache or RenderCache()
    papers = cache.load([item["paper"] for item in items])
    listed = [
        DigestItem(papers[item["paper"]], item["why"], item.get("section", ""))
        for item in items
        if item["paper"] in papers
    ]
    token = subscriptions.manage_token(subscription)
    site_url = site_url.rstrip("/")
    trending = [item for item in listed if not item.why]
    alerts = [item for item in listed if item.why and item.section != FOR_YOU]
    for_you = [item for item in listed if item.section == FOR_YOU]
    context: dict[str, Any] = {
        "site_name": settings.SITE_NAME,
        "period_label": period_label,
        "frequency": subscription.frequency,
        "unsubscribe_url": subscriptions.absolute(
            site_url, reverse("digest:unsubscribe", args=[token])
        ),
        "manage_url": subscriptions.absolute(site_url, reverse("digest:manage", args=[token])),
        "preview_url": subscriptions.absolute(site_url, reverse("digest:preview", args=[token])),
    }
    subject = f"{settings.SITE_NAME}: trending papers, {period_label}"
    html, text = dict(context), dict(context)
    for kind, parts in (("html", html), ("txt", text)):
        parts["trending"] = [cache.block(item, kind, site_url) for item in trending]
        parts["alerts"] = [cache.block(item, kind, site_url) for item in alerts]
        parts["for_you"] = [cache.block(item, kind, site_url) for item in for_you]
    return RenderedDigest(
        subject=subject,
        text=render_to_string("digest/email/digest.txt", text),
        html=render_to_string("digest/email/digest.html", html),
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _alert_matches(alert: Alert, period: DigestPeriod, in_period: set[int]) -> list[int]:
    """The period's papers matching an alert, best first; never fails a round."""
    papers = feeds.visible_papers().filter(daily_entry__day__range=(period.start, period.end))
    if alert.kind == Alert.Kind.CATEGORY:
        found = papers.filter(feeds.category_filter(alert.value))
        return list(found.order_by(*feeds.FEED_ORDER).values_list("id", flat=True))
    if alert.kind == Alert.Kind.AUTHOR:
        # Per paper of the period (its author rows by the paper's index), not every row of
        # the name: a case-insensitive match cannot use the index on names.
        written = PaperAuthor.objects.filter(paper_id=OuterRef("id"), name__iexact=alert.value)
        found = papers.filter(Exists(written))
        return list(found.order_by(*feeds.FEED_ORDER).values_list("id", flat=True))
    return _search_matches(alert.value, in_period)


def _search_matches(query: str, in_period: set[int]) -> list[int]:
    """The site's own search (dailypapers.search.hybrid), kept to the period's papers."""
    from dailypapers.search.hybrid import search_papers

    try:
        results = search_papers(query, per_page=settings.SEARCH_CANDIDATES)
    except Exception:  # noqa: BLE001 - a broken index must not stop everyone's digest
        logger.exception("saved search %r failed; its alert is left out this time", query)
        return []
    return [hit.paper.id for hit in results.hits if hit.paper.id in in_period]

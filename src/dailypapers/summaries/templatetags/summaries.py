"""The summary line and keywords on the paper page (cards get theirs from summaries/cards.py,
all the listing's summaries read in one query)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from dailypapers.papers.models import Paper
from dailypapers.summaries.cards import summary_html
from dailypapers.summaries.services import summary_of

register = template.Library()


@register.simple_tag
def paper_summary(paper: Paper) -> SafeString:
    return mark_safe(summary_html(summary_of(paper)) if isinstance(paper, Paper) else "")

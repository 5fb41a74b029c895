"""Search's part of other pages: a paper's nearest papers by meaning, for the paper page."""

from __future__ import annotations

from django import template

from dailypapers.papers.models import Paper
from dailypapers.search.similar import similar_papers

register = template.Library()


@register.simple_tag
def similar_to(paper: Paper) -> list[Paper]:
    return list(similar_papers(paper))

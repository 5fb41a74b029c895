"""The JSON the API answers with, in Hugging Face's shapes and field names, so
huggingface_hub's PaperInfo reads it unchanged (tests/data/daily_papers_2026-06-12.json is a
recorded real answer; docs/api.md lists the fields).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import User

from dailypapers.accounts.models import Profile
from dailypapers.api.listings import daily_entry, entered_at
from dailypapers.community.models import Comment
from dailypapers.papers.models import DailyEntry, Paper
from dailypapers.summaries.services import ai_fields, load_summaries
from dailypapers.thumbnails.services import urls_for


def timestamp(moment: datetime | None) -> str | None:
    """Hugging Face's spelling: UTC with milliseconds, 2026-06-12T00:00:00.000Z."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def paper(found: Paper) -> dict[str, Any]:
    """A paper as GET /api/papers/{id} answers it, and as "paper" inside a listing item."""
    entry = daily_entry(found)
    return {
        "id": found.arxiv_id,
        "authors": [
            {"_id": f"{found.arxiv_id}/{n}", "name": name, "hidden": False}
            for n, name in enumerate(found.authors)
        ],
        "publishedAt": timestamp(found.published),
        "submittedOnDailyAt": timestamp(entered_at(found)),
        "title": found.title,
        "submittedOnDailyBy": submitter(entry),
        "summary": found.abstract,
        "upvotes": found.upvotes,
        "discussionId": str(found.pk),
        "numComments": found.num_comments,
        "githubRepo": found.github_repo or None,
        "githubStars": found.github_stars,
        "projectPage": found.project_page or None,
        "categories": found.category_list,
        **ai_fields(found),
    }


def daily_items(papers: list[Paper], site: str) -> list[dict[str, Any]]:
    """The items of a listing, with their thumbnails' absolute URLs (`site` is the scheme and
    host, https://papers.example.org) read for the whole page in one query."""
    urls = urls_for(papers)
    load_summaries(papers)  # every item's ai_summary in one query
    return [
        daily_item(found, site + urls[found.pk] if found.pk in urls else None) for found in papers
    ]


def daily_item(found: Paper, thumbnail: str | None = None) -> dict[str, Any]:
    """One item of /api/daily_papers and /api/papers/search: the paper and, beside it, what
    Hugging Face repeats there. PaperInfo reads the GitHub and project links and the upvotes
    from this outer level only, so they are repeated too; `thumbnail` (the first page's
    image, docs/thumbnails.md) is only at this level, as Hugging Face sends it."""
    inner = paper(found)
    return {
        "paper": inner,
        "publishedAt": inner["publishedAt"],
        "title": found.title,
        "summary": found.abstract,
        "thumbnail": thumbnail,
        "numComments": found.num_comments,
        "submittedBy": inner["submittedOnDailyBy"],
        "isAuthorParticipating": False,
        "upvotes": found.upvotes,
        "githubRepo": inner["githubRepo"],
        "githubStars": inner["githubStars"],
        "projectPage": inner["projectPage"],
        # Hugging Face sends these inside "paper"; PaperInfo reads them from this level.
        "ai_summary": inner["ai_summary"],
        "ai_keywords": inner["ai_keywords"],
    }


def submitter(entry: DailyEntry | None) -> dict[str, Any] | None:
    """Who put the paper in the feed: a member, or a Hugging Face user named by the source."""
    if entry is None:
        return None
    if entry.submitted_by is not None:
        return user(entry.submitted_by)
    if entry.submitter_name:
        return _user_shape(entry.submitter_name, entry.submitter_name)
    return None


def user(member: User) -> dict[str, Any]:
    # Loaded with the entry (select_related); an operator's account may have none yet.
    profile: Profile | None = getattr(member, "profile", None)
    shown = profile.display_name if profile else ""
    return _user_shape(member.get_username(), shown or member.get_username())


def _user_shape(username: str, fullname: str) -> dict[str, Any]:
    # "user" is what huggingface_hub's User reads as the username, "name" what HF also sends.
    return {
        "_id": username,
        "avatarUrl": "",
        "fullname": fullname,
        "name": username,
        "user": username,
        "type": "user",
        "isPro": False,
    }


def vote(arxiv_id: str, voted: bool, upvotes: int) -> dict[str, Any]:
    return {"id": arxiv_id, "upvoted": voted, "upvotes": upvotes}


def comment(posted: Comment, arxiv_id: str) -> dict[str, Any]:
    return {
        "id": str(posted.pk),
        "paper": arxiv_id,
        "parent": str(posted.parent_id) if posted.parent_id else None,
        "author": user(posted.author),
        "body": posted.body,
        "createdAt": timestamp(posted.created_at),
    }

"""How an incoming ParsedPaper changes a stored paper: the merge rules, as pure functions.

See docs/ingest.md: a newer version overwrites the metadata, an equal or unknown one only fills
blanks, and counters a source reports (upvotes, comments, stars) follow that source.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dailypapers.ingest.parsed import (
    MalformedEntry,
    ParsedPaper,
    clean_text,
    find_links,
    is_arxiv_category,
)

# Metadata that a newer version replaces and an older or equal one may only fill in.
CORE_FIELDS = (
    "title",
    "abstract",
    "authors",
    "categories",
    "primary_category",
    "comment",
    "journal_ref",
    "doi",
    "published",
    "updated",
    "github_repo",
    "project_page",
)
# Counters that belong to the source reporting them: the latest report wins.
COUNTER_FIELDS = ("source_upvotes", "source_comments", "github_stars")
MAX_LENGTHS = {
    "categories": 512,
    "primary_category": 64,
    "doi": 256,
    "github_repo": 512,
    "project_page": 512,
    "arxiv_id": 64,
}


def paper_row(parsed: ParsedPaper) -> dict[str, Any]:
    """The stored form of a parsed paper, validated; raises MalformedEntry if unusable."""
    title = clean_text(parsed.title)
    if not title:
        raise MalformedEntry(f"{parsed.arxiv_id or 'entry'} has no title")
    abstract = clean_text(parsed.abstract)
    comment = clean_text(parsed.comment)
    github, project = parsed.github_repo, parsed.project_page
    if not github or not project:
        found_github, found_project = find_links(abstract, comment)
        github, project = github or found_github, project or found_project
    categories = [c for c in (cat.strip() for cat in parsed.categories) if is_arxiv_category(c)]
    row: dict[str, Any] = {
        "arxiv_id": parsed.arxiv_id,
        "version": parsed.version or 0,
        "title": title,
        "abstract": abstract,
        "authors": [name for name in (clean_text(a) for a in parsed.authors) if name],
        "categories": " ".join(dict.fromkeys(categories)),
        "primary_category": categories[0] if categories else "",
        "comment": comment,
        "journal_ref": clean_text(parsed.journal_ref),
        "doi": clean_text(parsed.doi),
        # Whole seconds, as arXiv gives them: the sort keys copy it as seconds, computed in
        # Python by the ingest and in SQL by the triggers (which would round a fraction).
        "published": parsed.published and parsed.published.replace(microsecond=0),
        "updated": parsed.updated or parsed.published,
        "github_repo": github,
        "project_page": project,
        "source_upvotes": parsed.source_upvotes,
        "source_comments": parsed.source_comments,
        "github_stars": parsed.github_stars,
    }
    for name, limit in MAX_LENGTHS.items():
        if len(row[name]) > limit:
            raise MalformedEntry(f"{parsed.arxiv_id}: {name} longer than {limit} characters")
    return row


def is_newer(incoming: dict[str, Any], stored: dict[str, Any]) -> bool:
    """Whether the incoming record describes a later version than the stored one."""
    new_v, old_v = incoming["version"], stored["version"]
    if new_v and old_v:
        return bool(new_v > old_v)
    new_u: datetime | None = incoming["updated"]
    old_u: datetime | None = stored["updated"]
    if new_u and old_u:
        return new_u > old_u
    return bool(new_v and not old_v and not old_u)


def merge_changes(stored: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """The fields to write so `stored` reflects `incoming`; empty when nothing changes."""
    changes: dict[str, Any] = {}
    newer = is_newer(incoming, stored)
    if newer and incoming["version"] != stored["version"]:
        changes["version"] = incoming["version"]
    for name in CORE_FIELDS:
        value = incoming[name]
        if value in ("", None, []) or value == stored[name]:
            continue
        if newer or stored[name] in ("", None, []):
            changes[name] = value
    for name in COUNTER_FIELDS:
        value = incoming[name]
        if value is not None and value != stored[name]:
            changes[name] = value
    return changes

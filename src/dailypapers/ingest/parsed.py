"""ParsedPaper: what every source hands to the upsert, plus the id and text normalizers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

# New-style 2501.01234 (4 or 5 digits after the dot) and old-style hep-th/9901001 ids.
_ID = re.compile(
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d+))?",
)
_ARXIV_PREFIX = re.compile(
    r"^(?:oai:arXiv\.org:|arxiv:|https?://(?:www\.|export\.)?arxiv\.org/"
    r"(?:abs|pdf|html)/)",
    re.IGNORECASE,
)
_GITHUB = re.compile(r"https?://(?:www\.)?github\.com/[\w.\-]+/[\w.\-]+", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"'{}\\)\]]+", re.IGNORECASE)
_PROJECT_HINT = re.compile(r"\b(project|page|website|homepage|demo)\b[^.]{0,25}$", re.IGNORECASE)


# arXiv's archives, current and retired; a category is ARCHIVE or ARCHIVE.SUBJECT. Sources
# also put MSC (68T50) and ACM (I.2.7) classes or stray words among categories: dropped.
ARXIV_ARCHIVES = frozenset(
    "astro-ph cond-mat cs econ eess gr-qc hep-ex hep-lat hep-ph hep-th math math-ph nlin "
    "nucl-ex nucl-th physics q-bio q-fin quant-ph stat acc-phys adap-org alg-geom ao-sci "
    "atom-ph bayes-an chao-dyn chem-ph cmp-lg comp-gas dg-ga funct-an mtrl-th patt-sol "
    "plasm-ph q-alg solv-int supr-con".split()
)
_CATEGORY = re.compile(r"(?P<archive>[a-z][a-z\-]*)(?:\.[A-Za-z][A-Za-z\-]*)?")


def is_arxiv_category(text: str) -> bool:
    match = _CATEGORY.fullmatch(text)
    return bool(match and match["archive"] in ARXIV_ARCHIVES)


class MalformedEntry(ValueError):
    """An entry that cannot become a paper; the reason is the message."""


@dataclass
class Checkpoint:
    """Yielded by a source between papers: `reached` runs once all before it are stored."""

    reached: Callable[[], None]


@dataclass
class ParsedPaper:
    arxiv_id: str
    title: str
    version: int = 0
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    github_repo: str = ""
    github_stars: int | None = None
    project_page: str = ""
    source_upvotes: int | None = None
    source_comments: int | None = None
    # Set when the source puts the paper in the daily feed on a given day.
    feed_day: date | None = None
    feed_submitted_at: datetime | None = None
    feed_submitter: str = ""


def split_arxiv_id(raw: str) -> tuple[str, int]:
    """Return (id without version, version or 0) for an id, URL or OAI identifier."""
    text = _ARXIV_PREFIX.sub("", (raw or "").strip())
    text = re.sub(r"\.pdf$", "", text)
    match = _ID.fullmatch(text)
    if not match:
        raise MalformedEntry(f"not an arXiv id: {raw!r}")
    return match["id"], int(match["version"] or 0)


def clean_text(text: str | None) -> str:
    """Collapse arXiv's hard line breaks and runs of spaces."""
    return " ".join((text or "").split())


def find_links(*texts: str) -> tuple[str, str]:
    """Find a GitHub repository and a project page mentioned in an abstract or comment.

    A non-GitHub URL counts as a project page when the words just before it say so
    ("Project page: ...") or it is a github.io site; other URLs (datasets, DOIs) are not.
    """
    github, project = "", ""
    for text in texts:
        for match in _URL.finditer(text or ""):
            url = match.group(0).rstrip(".,;:")
            gh = _GITHUB.match(url)
            if gh:
                github = github or gh.group(0).removesuffix(".git").rstrip(".")
                continue
            before = text[max(0, match.start() - 40) : match.start()]
            if not project and (_PROJECT_HINT.search(before) or ".github.io" in url):
                project = url
    return github, project

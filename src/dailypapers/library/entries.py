"""What a reference manager's file says about one work, whatever the format, and how arXiv
ids and DOIs are read out of the places exports put them (eprint, URL, note, DOI)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

# New-style ids (2401.00001, 0704.0001) and old-style ones (hep-th/9901001, math.AG/0601001).
ARXIV_ID = re.compile(
    r"(?<![\w.])(?:arxiv:\s*)?((?:\d{4}\.\d{4,5})|(?:[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7}))(?:v\d+)?(?![\d])",
    re.IGNORECASE,
)
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
DOI = re.compile(r"\b(10\.\d{4,9}/\S+)")


@dataclass
class LibraryEntry:
    """One work of an imported file: what identifies it, and a label to list it by."""

    label: str  # the citation key, or the title
    title: str = ""
    arxiv_id: str = ""
    doi: str = ""
    authors: list[str] = field(default_factory=list)
    year: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LibraryEntry:
        return cls(**data)


@dataclass
class Problem:
    """An entry that could not be read: where it was and why."""

    where: str
    reason: str


@dataclass
class ParsedLibrary:
    entries: list[LibraryEntry]
    problems: list[Problem]


def arxiv_id_in(*texts: str) -> str:
    """The first arXiv id in these fields (without version), or empty."""
    for text in texts:
        if not text:
            continue
        if doi := ARXIV_DOI.match(text.strip()):
            text = doi[1]
        bare_id = re.fullmatch(r"\s*\d{4}\.\d{4,5}(v\d+)?\s*", text)
        old_id = re.search(r"[a-z\-]+(\.[A-Z]{2})?/\d{7}", text)
        if "arxiv" not in text.lower() and not bare_id and not old_id:
            continue  # a number in a journal name or note is not an arXiv id
        if match := ARXIV_ID.search(text):
            return match[1]
    return ""


def doi_in(*texts: str) -> str:
    """The first DOI in these fields, lowercased (DOIs are case-insensitive), or empty."""
    for text in texts:
        if match := DOI.search(text or ""):
            return match[1].rstrip(".,;").lower()
    return ""


def clean_title(text: str) -> str:
    """A title as a reference manager wrote it, with BibTeX's protective braces removed."""
    return " ".join(text.replace("{", "").replace("}", "").split())

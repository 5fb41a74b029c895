"""Reading arXiv's XML: safe parsing, namespace-agnostic element lookup, and one Atom/RSS entry.

The export API and the announcement feeds describe a paper with the same elements under
changing namespaces and orders, so everything here matches local names only (see docs/ingest.md).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from dailypapers.ingest.http import FetchError
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper, split_arxiv_id

# arXiv categories look like cs.AI, hep-th, astro-ph.GA, q-fin.EC; MSC ("35") and ACM ("I.2.7")
# classes also turn up as <category term> and are not categories.
_CATEGORY = re.compile(r"[a-z][a-z\-]*(?:\.[A-Za-z][A-Za-z\-]*)?")
_DOI_LINK = re.compile(r"https?://(?:dx\.)?doi\.org/(10\..+)", re.IGNORECASE)


def parse_xml(data: bytes, what: str) -> ET.Element:
    """The root element of `data`; FetchError when it is not XML or declares a DOCTYPE."""
    # Entity declarations are the one XML feature that can hurt us (entity expansion), and no
    # arXiv payload uses them, so refusing them is simpler than a hardened parser.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise FetchError(f"{what} declares a DOCTYPE or entities, which arXiv never sends")
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        start = data[:60].decode("utf-8", "replace").strip()
        raise FetchError(f"{what} is not well-formed XML ({error}); it starts {start!r}") from error


def local_name(element: ET.Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def children(element: ET.Element, *names: str) -> Iterator[ET.Element]:
    """Direct children whose local name is one of `names`, in document order."""
    return (child for child in element if local_name(child) in names)


def first(element: ET.Element, *names: str) -> ET.Element | None:
    return next(children(element, *names), None)


def text_of(element: ET.Element | None, *names: str) -> str:
    """Stripped text of the first child named like `names` (or of `element` itself)."""
    found = first(element, *names) if element is not None and names else element
    return "".join(found.itertext()).strip() if found is not None else ""


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 (Atom) or RFC 822 (RSS) timestamp as an aware UTC datetime."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError) as error:
            raise MalformedEntry(f"bad timestamp {value!r}") from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def read_each(
    elements: Iterable[ET.Element], reader: Callable[[ET.Element], ParsedPaper], what: str
) -> Iterator[ParsedPaper | MalformedEntry]:
    """Apply `reader` to each element, yielding (not raising) a MalformedEntry for bad ones."""
    for number, element in enumerate(elements, 1):
        try:
            yield reader(element)
        except MalformedEntry as error:
            yield MalformedEntry(f"{what}, entry {number}: {error}")


def entry_id(entry: ET.Element) -> str:
    """The raw identifier: Atom <id>, RSS <guid>, else the abstract link."""
    return text_of(entry, "id", "guid") or text_of(entry, "link") or _link(entry, "alternate")


def read_entry(entry: ET.Element) -> ParsedPaper:
    """One paper from an Atom <entry> or RSS <item>; raises MalformedEntry when unusable."""
    raw_id = entry_id(entry)
    if not raw_id:
        raise MalformedEntry("entry without an id")
    arxiv_id, version = split_arxiv_id(raw_id)
    title = _title(entry)
    if not title:
        raise MalformedEntry(f"{arxiv_id} has no title")
    return ParsedPaper(
        arxiv_id=arxiv_id,
        version=version,
        title=title,
        abstract=text_of(entry, "summary", "description"),
        authors=_authors(entry),
        categories=_categories(entry),
        comment=text_of(entry, "comment"),
        journal_ref=text_of(entry, "journal_ref", "journal_reference"),
        doi=text_of(entry, "doi", "DOI") or _doi_from_links(entry),
        published=parse_timestamp(text_of(entry, "published", "pubDate")),
        updated=parse_timestamp(text_of(entry, "updated")),
    )


def _title(entry: ET.Element) -> str:
    element = first(entry, "title")
    text = text_of(element)
    # type="html" titles carry escaped markup; the XML parser undid one level of escaping.
    if element is not None and element.get("type") == "html":
        text = html.unescape(text)
    return text


def _authors(entry: ET.Element) -> list[str]:
    names = [text_of(author, "name") for author in children(entry, "author")]
    if not any(names):
        # Announcement feeds give one dc:creator with the names comma-separated.
        creators = ", ".join(text_of(c) for c in children(entry, "creator"))
        names = re.split(r",\s*|\s+and\s+", creators)
    return [name.strip() for name in names if name.strip()]


def _categories(entry: ET.Element) -> list[str]:
    primary = first(entry, "primary_category")
    terms = [primary.get("term", "")] if primary is not None else []
    terms += [c.get("term") or text_of(c) for c in children(entry, "category")]
    return [t for t in dict.fromkeys(t.strip() for t in terms) if _CATEGORY.fullmatch(t)]


def _link(entry: ET.Element, rel: str) -> str:
    for link in children(entry, "link"):
        if link.get("rel", "alternate") == rel and link.get("href"):
            return link.get("href", "")
    return ""


def _doi_from_links(entry: ET.Element) -> str:
    for link in children(entry, "link"):
        match = _DOI_LINK.match(link.get("href") or "")
        if match:
            return match.group(1)
    return ""

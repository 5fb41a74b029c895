"""Readers of the three library formats: BibTeX, RIS and CSL-JSON (Zotero's export). Each
returns every entry it could read and lists the ones it could not, so a malformed entry is
skipped and named while the rest import."""

from __future__ import annotations

import json
import re
from typing import Any

from dailypapers.library.entries import (
    LibraryEntry,
    ParsedLibrary,
    Problem,
    arxiv_id_in,
    clean_title,
    doi_in,
)

FORMATS = ("bibtex", "ris", "csl-json")
_BIB_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_BIB_FIELD = re.compile(r"\s*([A-Za-z][\w\-:.]*)\s*=\s*")
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


class UnknownFormat(ValueError):
    """The file is none of the formats read here."""


def detect(text: str, filename: str = "") -> str:
    name = filename.lower()
    if name.endswith((".bib", ".bibtex")):
        return "bibtex"
    if name.endswith((".ris", ".txt")) and "TY  -" in text[:4000]:
        return "ris"
    if name.endswith(".json"):
        return "csl-json"
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return "csl-json"
    if re.search(r"^TY  -", text[:4000], re.MULTILINE):
        return "ris"
    if "@" in text:
        return "bibtex"
    raise UnknownFormat("The file is not BibTeX, RIS or CSL-JSON.")


def parse(text: str, format: str) -> ParsedLibrary:
    readers = {"bibtex": parse_bibtex, "ris": parse_ris, "csl-json": parse_csl_json}
    if format not in readers:
        raise UnknownFormat(f"Unknown format {format!r}: choose bibtex, ris or csl-json.")
    return readers[format](text)


# -- BibTeX ----------------------------------------------------------------------------------


def parse_bibtex(text: str) -> ParsedLibrary:
    entries, problems = [], []
    position, number = 0, 0
    while match := _BIB_START.search(text, position):
        kind, number = match[1].lower(), number + 1
        closer = "}" if match[2] == "{" else ")"
        end = _closing(text, match.end(), closer)
        if end < 0:
            # No closing brace: this entry runs into the next; skip to the next "@".
            following = _BIB_START.search(text, match.end())
            problems.append(Problem(_bib_where(text, match, number), "its braces are not balanced"))
            position = following.start() if following else len(text)
            continue
        position = end + 1
        if kind in ("comment", "preamble", "string"):
            continue
        try:
            entries.append(_bib_entry(text[match.end() : end]))
        except ValueError as error:
            problems.append(Problem(_bib_where(text, match, number), str(error)))
    return ParsedLibrary(entries, problems)


def _bib_where(text: str, match: re.Match[str], number: int) -> str:
    line = text.count("\n", 0, match.start()) + 1
    key = text[match.end() : match.end() + 80].split(",", 1)[0].strip()
    return f"entry {number} ({key or 'no key'}, line {line})"


def _closing(text: str, start: int, closer: str) -> int:
    """Index of the brace closing an entry or field opened just before `start`, or -1 when
    a new entry starts (an "@" at the start of a line) before it closes."""
    depth, index = 1, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2  # \{ and \} are literal braces
            continue
        if char == "{":
            depth += 1
        elif char == "}" or (char == ")" and closer == ")" and depth == 1):
            depth -= 1
            if depth == 0:
                return index
        elif char == "@" and index > 0 and text[index - 1] == "\n":
            return -1
        index += 1
    return -1


def _bib_entry(body: str) -> LibraryEntry:
    key, _, rest = body.partition(",")
    key = key.strip()
    if not key or "=" in key:
        raise ValueError("it has no citation key")
    fields = _bib_fields(rest)
    title = clean_title(fields.get("title", ""))
    arxiv = arxiv_id_in(
        fields.get("eprint", "")
        if "arxiv" in (fields.get("archiveprefix", "") + fields.get("eprinttype", "arxiv")).lower()
        else "",
        fields.get("url", ""),
        fields.get("doi", ""),
        fields.get("journal", ""),
        fields.get("note", ""),
        fields.get("howpublished", ""),
    )
    doi = doi_in(fields.get("doi", ""))
    if not (title or arxiv or doi):
        raise ValueError("it has no title, arXiv id or DOI")
    authors = [
        clean_title(a) for a in re.split(r"\s+and\s+", fields.get("author", "")) if a.strip()
    ]
    return LibraryEntry(key, title, arxiv, doi, authors, fields.get("year", "")[:4])


def _bib_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    position = 0
    while match := _BIB_FIELD.match(text, position):
        name, position = match[1].lower(), match.end()
        value, position = _bib_value(text, position)
        fields[name] = " ".join(value.split())
        comma = text.find(",", position)
        if comma < 0:
            break
        position = comma + 1
    return fields


def _bib_value(text: str, position: int) -> tuple[str, int]:
    if position >= len(text):
        raise ValueError("a field has no value")
    char = text[position]
    if char == "{":
        end = _closing(text, position + 1, "}")
        if end < 0:
            raise ValueError("a field's braces are not balanced")
        return text[position + 1 : end], end + 1
    if char == '"':
        end = text.find('"', position + 1)
        if end < 0:
            raise ValueError("a field's quotes are not closed")
        return text[position + 1 : end], end + 1
    match = re.match(r"[\w\-#\s]+", text[position:])
    if not match:
        raise ValueError("a field has no value")
    return match[0].strip(), position + match.end()


# -- RIS -------------------------------------------------------------------------------------


def parse_ris(text: str) -> ParsedLibrary:
    entries, problems = [], []
    current: dict[str, list[str]] | None = None
    number, start_line = 0, 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        match = _RIS_LINE.match(line.rstrip())
        if not match:
            continue  # a continuation or blank line
        tag, value = match[1], (match[2] or "").strip()
        if tag == "TY":
            if current is not None:
                problems.append(Problem(f"entry {number} (line {start_line})", "it has no ER line"))
            current, number, start_line = {}, number + 1, line_number
        elif current is None:
            if tag == "ER":
                problems.append(Problem(f"line {line_number}", "an ER line without a TY line"))
            continue
        elif tag == "ER":
            try:
                entries.append(_ris_entry(current, number))
            except ValueError as error:
                problems.append(Problem(f"entry {number} (line {start_line})", str(error)))
            current = None
        else:
            current.setdefault(tag, []).append(value)
    if current is not None:
        problems.append(Problem(f"entry {number} (line {start_line})", "it has no ER line"))
    return ParsedLibrary(entries, problems)


def _ris_entry(tags: dict[str, list[str]], number: int) -> LibraryEntry:
    def first(*names: str) -> str:
        return next((tags[n][0] for n in names if tags.get(n)), "")

    title = clean_title(first("TI", "T1", "CT", "BT"))
    links = [*tags.get("UR", []), *tags.get("L1", []), *tags.get("L2", [])]
    arxiv = arxiv_id_in(
        *links, first("DO"), first("AN"), first("M1"), first("N1"), first("JO", "JF", "T2")
    )
    doi = doi_in(first("DO"))
    if not (title or arxiv or doi):
        raise ValueError("it has no title, arXiv id or DOI")
    authors = [*tags.get("AU", []), *tags.get("A1", [])]
    return LibraryEntry(
        first("ID") or title or f"entry {number}",
        title,
        arxiv,
        doi,
        authors,
        first("PY", "Y1", "DA")[:4],
    )


# -- CSL-JSON --------------------------------------------------------------------------------


def parse_csl_json(text: str) -> ParsedLibrary:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnknownFormat(
            f"The file is not valid JSON (line {error.lineno}: {error.msg})."
        ) from None
    if isinstance(items, dict) and "items" in items:
        items = items["items"]
    if not isinstance(items, list):
        raise UnknownFormat("A CSL-JSON file is a list of items.")
    entries, problems = [], []
    for number, item in enumerate(items, start=1):
        try:
            entries.append(_csl_entry(item, number))
        except ValueError as error:
            label = item.get("id", "") if isinstance(item, dict) else ""
            problems.append(Problem(f"item {number}{f' ({label})' if label else ''}", str(error)))
    return ParsedLibrary(entries, problems)


def _csl_entry(item: Any, number: int) -> LibraryEntry:
    if not isinstance(item, dict):
        raise ValueError("it is not an object")
    text = {k: v for k, v in item.items() if isinstance(v, str)}
    title = clean_title(text.get("title", ""))
    arxiv = arxiv_id_in(
        text.get("URL", ""),
        text.get("DOI", ""),
        text.get("number", ""),
        text.get("note", ""),
        text.get("container-title", ""),
    )
    doi = doi_in(text.get("DOI", ""))
    if not (title or arxiv or doi):
        raise ValueError("it has no title, arXiv id or DOI")
    people = item.get("author")
    names = people if isinstance(people, list) else []
    authors = [_csl_name(person) for person in names if isinstance(person, dict)]
    issued = item.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    year = str(parts[0][0]) if isinstance(parts, list) and parts and parts[0] else ""
    return LibraryEntry(
        str(item.get("id") or title or f"item {number}"),
        title,
        arxiv,
        doi,
        [a for a in authors if a],
        year,
    )


def _csl_name(person: dict[str, Any]) -> str:
    if person.get("literal"):
        return str(person["literal"])
    return " ".join(str(person[k]) for k in ("given", "family") if person.get(k))

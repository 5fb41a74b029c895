"""BibTeX export of a paper: the entry arXiv users expect, with a stable citation key.

Titles from arXiv are already TeX (math, \\emph, \\&), so escaping keeps what TeX reads right
and escapes only what it would misread: bare & % # _ ^ ~, lone dollars and stray braces.
"""

from __future__ import annotations

import re
import unicodedata

from dailypapers.papers.models import Paper

_MATH = re.compile(r"(?<!\\)(\$\$?)(?:[^$\\]|\\.)+?(?<!\\)\1", re.DOTALL)
_SPECIAL = re.compile(r"(?<!\\)([&%#_$])")
_BRACES = re.compile(r"(?<!\\)([{}])")
# Words a citation key skips to reach the first one that says what the paper is about.
_STOPWORDS = frozenset(
    {
        "a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "from", "towards",
        "toward", "via", "is", "are", "at", "by", "as", "do", "does", "can", "what", "how",
        "why", "when",
    }
)  # fmt: skip
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NEW_STYLE_ID = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")
_OLD_STYLE_ID = re.compile(r".+/(\d{2})\d{5}")


def bibtex_entry(paper: Paper) -> str:
    """An @article entry when the paper has a journal reference, @misc otherwise."""
    fields = [
        ("title", escape_tex(paper.title)),
        ("author", " and ".join(escape_tex(name) for name in paper.authors)),
        ("year", paper_year(paper)),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", paper.primary_category),
        ("journal", escape_tex(paper.journal_ref)),
        ("doi", paper.doi),
        ("url", paper.abs_url),
    ]
    kind = "article" if paper.journal_ref else "misc"
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@{kind}{{{citation_key(paper)},\n{body}}}\n"


def citation_key(paper: Paper) -> str:
    """First author's surname, year, first significant title word: lovelace2025study."""
    surname = _surname(paper.authors[0]) if paper.authors else ""
    words = [_ascii_word(word) for word in re.split(r"\s+|-", _MATH.sub(" ", paper.title))]
    word = next((w for w in words if w and w not in _STOPWORDS), "")
    return f"{surname or 'anonymous'}{paper_year(paper)}{word}"


def paper_year(paper: Paper) -> str:
    """The year of first publication, from the date or else from the arXiv id itself."""
    if paper.published:
        return str(paper.published.year)
    if match := _NEW_STYLE_ID.fullmatch(paper.arxiv_id):
        return f"20{match[1]}"
    if match := _OLD_STYLE_ID.fullmatch(paper.arxiv_id):
        # Old-style ids ran from 1991 to March 2007.
        return f"{'19' if int(match[1]) >= 91 else '20'}{match[1]}"
    return ""


def escape_tex(text: str) -> str:
    """Escape what TeX would misread outside $...$ math, keeping the source's own markup."""
    braces_balanced = _balanced(text)
    pieces, last = [], 0
    for match in _MATH.finditer(text):
        pieces.append(_escape_plain(text[last : match.start()], braces_balanced))
        pieces.append(
            match.group(0) if _balanced(match.group(0)) else _escape_plain(match.group(0), False)
        )
        last = match.end()
    pieces.append(_escape_plain(text[last:], braces_balanced))
    return "".join(pieces)


def _escape_plain(text: str, braces_balanced: bool) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"(?<!\\)\^", r"\\textasciicircum{}", text)
    text = re.sub(r"(?<!\\)~", r"\\textasciitilde{}", text)
    # A stray brace would end the BibTeX field early, so then every brace becomes literal.
    return text if braces_balanced else _BRACES.sub(r"\\\1", text)


def _balanced(text: str) -> bool:
    depth = 0
    for match in _BRACES.finditer(text):
        depth += 1 if match.group(1) == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _surname(name: str) -> str:
    if "," in name:  # "Lovelace, Ada"
        return _ascii_word(name.split(",")[0])
    words = [_ascii_word(word) for word in name.split()]
    words = [word for word in words if word and word not in _SUFFIXES]
    return words[-1] if words else ""


def _ascii_word(text: str) -> str:
    """Lowercase ASCII letters and digits only: Gödel and G\\"odel both become godel."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\\[a-zA-Z]+|[^a-z0-9]", "", folded.lower())

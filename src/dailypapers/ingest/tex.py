"""TeX accents in author names (`Bal{\\'a}zs`, `\\v{S}r\\'amek`, `{\\O}bro`) decoded to Unicode.

Table-driven, for the accents and letters arXiv metadata uses; math and other commands are left
as they are. Used by the arXiv snapshot reader (docs/ingest.md).
"""

from __future__ import annotations

import re
import unicodedata

from dailypapers.papers.tex_symbols import ACCENTS, LETTERS

# What an accent sits on: a letter, or a dotless i or j (\'\i, \'{\i}), braced or not.
_BASE = (
    r"(?:\{\s*(?P<{0}b>\\[ij]|[A-Za-z])\s*\}|(?P<{0}l>[A-Za-z])|(?P<{0}d>\\[ij])(?![A-Za-z])\s*)"
)
# Symbol accents take the letter directly or braced (\"o, \"{o}); letter accents need braces
# or a space (\v{s}, \v s), since \vs would be another command.
_ACCENT = re.compile(
    r"\\(?P<sym>[\"'`^~=.])\s*"
    + _BASE.replace("{0}", "s")
    + r"|\\(?P<word>[uvHkcrdb])(?:\s*\{\s*(?P<wb>\\[ij]|[A-Za-z])\s*\}|\s+(?P<wl>[A-Za-z]))"
)
_NAMES = "|".join(sorted(LETTERS, key=len, reverse=True))
_BRACED_LETTER = re.compile(r"\{\s*\\(?P<name>" + _NAMES + r")\s*\}")
# TeX ends a control word at the first non-letter and swallows the spaces after it (\o bro).
_LETTER = re.compile(r"\\(?P<name>" + _NAMES + r")(?![A-Za-z])\s*")


def decode_tex_accents(text: str) -> str:
    """`Bal\\'azs` -> `Balázs`, `{\\O}bro` -> `Øbro`; braces around letters go, the rest stays."""
    if "\\" not in text:
        return _strip_braces(text) if "{" in text else text
    text = _ACCENT.sub(_accented, text)
    text = _BRACED_LETTER.sub(_letter, text)
    text = _LETTER.sub(_letter, text)
    return unicodedata.normalize("NFC", _strip_braces(text))


def _letter(match: re.Match[str]) -> str:
    return LETTERS[match["name"]]


def _accented(match: re.Match[str]) -> str:
    command = match["sym"] or match["word"]
    base = match["sb"] or match["sl"] or match["sd"] or match["wb"] or match["wl"]
    # An accent on a dotless i is the accented i; composed now, so \L\'o still ends at \L.
    return unicodedata.normalize("NFC", base.lstrip("\\") + ACCENTS[command])


def _strip_braces(text: str) -> str:
    # Braces in names only protect case or group letters (Bal{\'a}zs, {van der} Berg).
    return text.replace("{", "").replace("}", "")

"""Whole numbers read from outside (form fields, query parameters, remote headers): ASCII
digits only, within bounds, or None. The one way the site parses them (issue 12)."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,19}")
# The largest id either database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_int(text: str | None, low: int = 0, high: int = MAX_ID) -> int | None:
    """The number `text` spells in ASCII digits when it lies in [low, high], else None.

    Not str.isdigit(): it accepts "²" and "١", which int() refuses or reads as another
    digit, and an unbounded number overflows the database's integers; both were 500s.
    """
    if text is None:
        return None
    text = text.strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None

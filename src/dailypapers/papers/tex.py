"""The TeX of titles and abstracts outside math, shown as a reader expects: `\\textbf{ReCache}`
bold, `82.3\\%` a per cent sign, `key--value` an en dash, ``` ``quoted'' ``` in curly quotes,
`Schr\\"odinger` with its umlaut, a URL a link.

arXiv metadata is TeX source. KaTeX (static/js/math.js) renders only the math ($...$, $$...$$,
\\(...\\), \\[...\\]), so everything else used to reach the page as its source. `tex_html`
reads the text once: math passes through untouched for KaTeX, the rest becomes escaped HTML.
A command it does not know (an author's own macro, `\\ours`) stays as written, as arXiv shows
it. Pages use it; the API, the feeds, BibTeX and Markdown keep the source.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from dailypapers.papers.tex_symbols import (
    ACCENTS,
    CONTROL,
    DECLARATIONS,
    DROPPED,
    LETTERS,
    STYLES,
    SYMBOLS,
)

# A dollar that is no math: KaTeX is told to skip this element (math.js, ignoredClasses).
DOLLAR = '<span class="no-math">$</span>'
CITES = {"cite", "citep", "citet", "citealp", "citealt", "ref", "eqref", "autoref", "cref"}

# Everything that may need more than escaping; a text without any is only escaped.
_SPECIAL = re.compile(r"[\\{}~`$]|--|''|https?://")
_TOKEN = re.compile(
    r"(?P<url>https?://[^\s{}\\<>\"]+)"
    r"|\\(?P<word>[A-Za-z]+)(?P<space>\s*)"
    r"|\\(?P<symbol>.)"
    r"|(?P<dollars>\$\$?)"
    r"|(?P<dash>---?)"
    r"|(?P<quote>``|''|`)"
    r"|(?P<brace>[{}])"
    r"|(?P<tie>~)"
    r"|(?P<text>(?:[^\\{}~`'$h-]|h(?!ttps?://))+|.)",
    re.DOTALL,
)
_MATH_CLOSE = {"$": re.compile(r"(?<!\\)\$"), "$$": re.compile(r"\$\$"), "(": re.compile(r"\\\)"),
               "[": re.compile(r"\\\]")}  # fmt: skip
_URL_TAIL = ".,;:!?)]'"
_WORD = re.compile(r"\\([A-Za-z]+)(\s*)")


@dataclass
class _Reader:
    text: str
    links: bool
    pos: int = 0
    quote_open: bool = False

    def group(self, stop_at_brace: bool) -> str:
        """Read until the end or, in a group, its closing brace (consumed); return the HTML."""
        parts: list[str] = []
        text = self.text
        while self.pos < len(text):
            if stop_at_brace and text[self.pos] == "}":
                self.pos += 1
                break
            match = _TOKEN.match(text, self.pos)
            assert match is not None  # the last alternative matches any character
            self.pos = match.end()
            kind = match.lastgroup
            if kind == "word" or kind == "space":
                word = match["word"]
                if word in DECLARATIONS:
                    inner = self.group(stop_at_brace)
                    parts.append(_wrap(DECLARATIONS[word], inner))
                    return "".join(parts)
                parts.append(self.command(word, match["space"]))
            elif kind == "symbol":
                parts.append(self.control(match["symbol"]))
            elif kind == "dollars":
                parts.append(self.math(match["dollars"], match.start()))
            elif kind == "url":
                parts.append(self.url(match["url"]))
            elif kind == "dash":
                parts.append("—" if match["dash"] == "---" else "–")
            elif kind == "quote":
                parts.append(self.quote(match["quote"]))
            elif kind == "brace":
                if match["brace"] == "{":
                    parts.append(self.group(True))
                # a stray closing brace outside any group is dropped
            elif kind == "tie":
                parts.append("\u00a0")
            else:
                parts.append(html.escape(match["text"]))
        return "".join(parts)

    def argument(self) -> str:
        """The next argument as HTML: a braced group, else the next character."""
        text = self.text
        while self.pos < len(text) and text[self.pos].isspace():
            self.pos += 1
        if self.pos >= len(text):
            return ""
        if text[self.pos] == "{":
            self.pos += 1
            return self.group(True)
        word = _WORD.match(text, self.pos)
        if word is not None:  # \'\i: a command as the argument
            self.pos = word.end()
            return self.command(word[1], word[2])
        self.pos += 1
        return html.escape(text[self.pos - 1])

    def raw_argument(self) -> str:
        """The next braced argument's source, unread (a URL, a citation key)."""
        text = self.text
        start = self.pos
        while start < len(text) and text[start].isspace():
            start += 1
        if start >= len(text) or text[start] != "{":
            return ""
        end = text.find("}", start)
        end = len(text) if end < 0 else end
        self.pos = min(end + 1, len(text))
        return text[start + 1 : end]

    def command(self, word: str, space: str) -> str:
        if word in STYLES:
            return _wrap(STYLES[word], self.argument())
        if word in ACCENTS and len(word) == 1:
            return _accent(word, self.argument())
        if word in DROPPED:
            for _ in range(DROPPED[word]):
                self.raw_argument()
            return " " if word in {"par", "newline", "linebreak"} else ""
        if word in LETTERS or word in SYMBOLS:
            self.empty_group()
            shown = html.escape(LETTERS.get(word) or SYMBOLS[word])
            # TeX swallows the space after a control word (Stra\ss e); after a symbol or
            # an abbreviation (\times faster, \eg the) a reader expects the word break.
            return shown + (" " if space and word in SYMBOLS else "")
        if word in {"href", "url"}:
            target = self.raw_argument()
            label = self.argument() if word == "href" else html.escape(target)
            return self.link(target, label)
        if word in CITES:
            keys = self.raw_argument()
            return f"[{html.escape(keys)}]" if keys else ""
        if word == "enquote":
            return f"“{self.argument()}”"
        if word == "footnote":
            return f" ({self.argument()})"
        # An author's own macro (\ours, \sysname{}): shown as written, its empty group gone.
        self.empty_group()
        shown = html.escape(f"\\{word}")
        if not space and self.text.startswith("{", self.pos):
            self.pos += 1
            return f"{shown}{{{self.group(True)}}}"
        return shown + (" " if space else "")

    def empty_group(self) -> None:
        if self.text.startswith("{}", self.pos):
            self.pos += 2

    def control(self, symbol: str) -> str:
        if symbol in ACCENTS:
            return _accent(symbol, self.argument())
        if symbol == "$":
            return DOLLAR
        if symbol in "([":
            return self.math(symbol, self.pos - 2)
        if symbol in CONTROL:
            return html.escape(CONTROL[symbol])
        return html.escape(f"\\{symbol}")

    def math(self, opener: str, start: int) -> str:
        """A formula, its source kept for KaTeX; an opener that never closes is plain text."""
        close = _MATH_CLOSE[opener].search(self.text, self.pos)
        if close is None:
            return DOLLAR * len(opener) if opener.startswith("$") else html.escape(f"\\{opener}")
        self.pos = close.end()
        return html.escape(self.text[start : close.end()])

    def quote(self, mark: str) -> str:
        if mark == "``":
            self.quote_open = True
            return "“"
        if mark == "`":
            return "‘"
        if self.quote_open:  # '' closes ``; alone it is TeX's arcseconds or inches
            self.quote_open = False
            return "”"
        return "''"

    def url(self, url: str) -> str:
        kept = url.rstrip(_URL_TAIL)
        self.pos -= len(url) - len(kept)
        return self.link(kept, html.escape(kept))

    def link(self, target: str, label: str) -> str:
        target = target.strip()
        if not self.links or not target.lower().startswith(("https://", "http://")):
            return label
        return f'<a href="{html.escape(target)}" rel="nofollow noopener">{label}</a>'


def tex_html(text: str, *, links: bool = True) -> str:
    """`text` (a title, an abstract) as escaped HTML, TeX outside math turned into what it
    means; `links=False` where the text is itself inside a link (a card's title)."""
    if not _SPECIAL.search(text):
        return html.escape(text)
    return _Reader(text, links).group(False)


def tex_plain(text: str) -> str:
    """The same as plain text, for a <title> or a description: no markup, math as written."""
    if not _SPECIAL.search(text):
        return text
    shown = _Reader(text, links=False).group(False)
    return html.unescape(re.sub(r"<[^>]+>", "", shown))


def _wrap(element: str, inner: str) -> str:
    if not element or not inner:
        return inner
    if element == "smallcaps":
        return f'<span class="smallcaps">{inner}</span>'
    return f"<{element}>{inner}</{element}>"


def _accent(command: str, base: str) -> str:
    # The base is escaped HTML of one letter, or a dotless i or j (\'\i -> í).
    letter = {"ı": "i", "ȷ": "j"}.get(base, base)
    if len(letter) != 1 or not letter.isalpha():
        return base
    return unicodedata.normalize("NFC", letter + ACCENTS[command])

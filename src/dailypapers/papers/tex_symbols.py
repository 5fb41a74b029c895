"""The tables papers/tex.py reads TeX with: accents, letters, styles, symbols. The accents
and letters also decode authors' names on ingest (ingest/tex.py)."""

from __future__ import annotations

# Accent command -> combining mark; NFC then composes letter + mark (e + U+0301 -> é).
ACCENTS = {
    '"': "\u0308",  # diaeresis: \"o -> ö
    "'": "\u0301",  # acute: \'e -> é
    "`": "\u0300",  # grave: \`a -> à
    "^": "\u0302",  # circumflex
    "~": "\u0303",  # tilde: \~n -> ñ
    "=": "\u0304",  # macron
    ".": "\u0307",  # dot above: \.z -> ż
    "u": "\u0306",  # breve: \u{g} -> ğ
    "v": "\u030c",  # caron: \v{s} -> š
    "H": "\u030b",  # double acute: \H{o} -> ő
    "k": "\u0328",  # ogonek: \k{a} -> ą
    "c": "\u0327",  # cedilla: \c{c} -> ç
    "r": "\u030a",  # ring: \r{u} -> ů
    "d": "\u0323",  # dot below
    "b": "\u0331",  # macron below
}
# Letters written as commands; \i and \j are the dotless forms accents sit on (\'\i -> í).
LETTERS = {
    "ss": "ß",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
}

# Commands taking one argument, and the element around it ("" for the text alone).
STYLES = {
    "textbf": "strong",
    "textit": "em",
    "emph": "em",
    "textsl": "em",
    "texttt": "code",
    "textsc": "smallcaps",
    "underline": "u",
    "uline": "u",
    "textsuperscript": "sup",
    "textsubscript": "sub",
    "mbox": "",
    "hbox": "",
    "text": "",
    "textrm": "",
    "textsf": "",
    "textnormal": "",
    "textup": "",
    "textmd": "",
}
# Declarations, which style the rest of their group: {\em LLM-centric}, {\sc i}.
DECLARATIONS = {
    "em": "em",
    "it": "em",
    "itshape": "em",
    "sl": "em",
    "slshape": "em",
    "bf": "strong",
    "bfseries": "strong",
    "tt": "code",
    "ttfamily": "code",
    "sc": "smallcaps",
    "scshape": "smallcaps",
}
# Commands that only lay out or colour the page: how many arguments each swallows.
DROPPED = {
    "color": 1,
    "textcolor": 1,  # the colour; the text that follows is an ordinary group
    "vspace": 1,
    "hspace": 1,
    "label": 1,
    **dict.fromkeys(
        "tiny scriptsize footnotesize small normalsize large Large LARGE huge Huge rm "
        "normalfont upshape mdseries sffamily rmfamily noindent indent par newline linebreak "
        "smallskip medskip bigskip hfill vfill centering clearpage newpage relax xspace "
        "protect".split(),
        0,
    ),
}
# Text symbols, and the math symbols abstracts also write outside math.
SYMBOLS = {
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textendash": "–",
    "textemdash": "—",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "textdegree": "°",
    "textregistered": "®",
    "texttrademark": "™",
    "copyright": "©",
    "textcopyright": "©",
    "S": "§",
    "P": "¶",
    "dag": "†",
    "ddag": "‡",
    "textbullet": "•",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "LaTeX": "LaTeX",
    "eg": "e.g.",
    "ie": "i.e.",
    "etal": "et al.",
    "arcsec": "″",
    "arcmin": "′",
    "degree": "°",
    "odot": "⊙",
    "TeX": "TeX",
    "times": "×",
    "pm": "±",
    "mp": "∓",
    "sim": "∼",
    "approx": "≈",
    "simeq": "≃",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "neq": "≠",
    "ne": "≠",
    "ll": "≪",
    "gg": "≫",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "Rightarrow": "⇒",
    "leftrightarrow": "↔",
    "cdot": "·",
    "infty": "∞",
    "deg": "°",
    "circ": "°",
    "prime": "′",
    "AA": "Å",
    **{
        name: chr(code)
        for name, code in zip(
            "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron "
            "pi rho varsigma sigma tau upsilon phi chi psi omega".split(),
            range(0x3B1, 0x3CA),
            strict=True,
        )
    },
    **{
        name: chr(code)
        for name, code in zip(
            "Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega".split(),
            (0x393, 0x394, 0x398, 0x39B, 0x39E, 0x3A0, 0x3A3, 0x3A6, 0x3A8, 0x3A9),
            strict=True,
        )
    },
    "varepsilon": "ε",
    "varphi": "φ",
    "vartheta": "ϑ",
}
# Control symbols: \% is a per cent sign, \, a thin space, \- a place to hyphenate.
CONTROL = {
    "%": "%",
    "&": "&",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    ",": "\u2009",
    ";": " ",
    ":": " ",
    " ": " ",
    "\n": " ",
    "\\": " ",
    "!": "",
    "-": "",
    "/": "",
    "@": "",
}

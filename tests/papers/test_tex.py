"""Text-mode TeX in titles and abstracts shown as it reads (papers/tex.py): markup, symbols,
accents, quotes and dashes outside math; math left for KaTeX; nothing unescaped."""

from __future__ import annotations

import pytest

from dailypapers.papers.tex import DOLLAR, tex_html, tex_plain


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (
            r"We introduce \textbf{ReCache}, a framework",
            "We introduce <strong>ReCache</strong>, a framework",
        ),
        (r"\emph{ExPhy} and \textit{Memory Bias}", "<em>ExPhy</em> and <em>Memory Bias</em>"),
        (
            r"indicating that {\em LLM-centric benchmarks} are",
            "indicating that <em>LLM-centric benchmarks</em> are",
        ),
        (r"\textsc{CAMA} learns", '<span class="smallcaps">CAMA</span> learns'),
        (r"via \texttt{CIGALE} with", "via <code>CIGALE</code> with"),
        (r"\underline{T}esting \underline{A}gents", "<u>T</u>esting <u>A</u>gents"),
        (r"the compute\mbox{-}capability rate", "the compute-capability rate"),
        (
            r"(82.3\% versus 82.4\%) H\&E \#1 snake\_case",
            "(82.3% versus 82.4%) H&amp;E #1 snake_case",
        ),
        ("key--value and 1990--2000, yes---no", "key–value and 1990–2000, yes—no"),
        ("the standard ``perfect intervention'' do()", "the standard “perfect intervention” do()"),
        ("a seeing of 0.8'' at the zenith", "a seeing of 0.8'' at the zenith"),
        ("Joint~RL baseline", "Joint\u00a0RL baseline"),
        (
            r"Schr\"odinger and Bal{\'a}zs and \v{S}r\'amek and na\"{\i}ve",
            "Schrödinger and Balázs and Šrámek and naïve",
        ),
        (r"Stra\ss e and {\O}bro", "Straße and Øbro"),
        (
            r"requires (1.56\times) as many; a \sim 5\% gain",
            "requires (1.56×) as many; a ∼ 5% gain",
        ),
        (r"the \alpha-helix", "the α-helix"),
        (
            r"models, \eg GPT, and \enquote{agents} at 0.5\arcsec",
            "models, e.g. GPT, and “agents” at 0.5″",
        ),
        (r"H~{\sc i} emission", 'H\u00a0<span class="smallcaps">i</span> emission'),
        (r"{\color{blue}\textbf{Code}}: here\par next", "<strong>Code</strong>: here next"),
        (r"\normalsize Code", "Code"),
        (r"role\,: drift", "role\u2009: drift"),
    ],
)
def test_text_mode_tex_is_shown_as_it_reads(source: str, shown: str) -> None:
    assert tex_html(source) == shown


def test_math_is_left_whole_for_katex() -> None:
    source = r"We bound $\frac{\textbf{a}}{b} < 1$ and $$x--y$$, \(z\) and \[w\] -- all."
    assert tex_html(source) == (
        r"We bound $\frac{\textbf{a}}{b} &lt; 1$ and $$x--y$$, \(z\) and \[w\] – all."
    )


def test_an_escaped_dollar_is_no_formula() -> None:
    # Two prices: KaTeX must not read "$0.07 under ... \$" as a formula (math.js skips .no-math).
    shown = tex_html(r"cost \$0.07 under one contract and \$0.08 under the other")
    assert shown == f"cost {DOLLAR}0.07 under one contract and {DOLLAR}0.08 under the other"
    assert tex_plain(r"cost \$0.07") == "cost $0.07"


def test_an_unclosed_formula_or_group_loses_nothing() -> None:
    # What an excerpt's cut leaves: the group ends with the text, the lone $ is a dollar.
    assert (
        tex_html(r"unclosed \textbf{Memory Correlation")
        == "unclosed <strong>Memory Correlation</strong>"
    )
    assert tex_html("costs $5 today") == f"costs {DOLLAR}5 today"
    assert tex_html(r"a stray } brace and \( open") == r"a stray  brace and \( open"


def test_an_authors_own_macro_stays_as_written() -> None:
    assert tex_html(r"we propose \ours, a method") == r"we propose \ours, a method"
    assert tex_html(r"On \dataname{} (\NTasks{} tasks)") == r"On \dataname (\NTasks tasks)"
    assert tex_html(r"the \sys{Foo} system") == r"the \sys{Foo} system"


def test_citations_show_their_keys() -> None:
    assert (
        tex_html(r"physics (\citep{wiemann2026}), chemistry")
        == "physics ([wiemann2026]), chemistry"
    )


def test_urls_become_links_but_not_inside_a_link() -> None:
    source = r"Code at https://github.com/EIT-NLP/ReCache. Data: \href{https://x.org/d}{our site}."
    assert tex_html(source) == (
        'Code at <a href="https://github.com/EIT-NLP/ReCache" rel="nofollow noopener">'
        "https://github.com/EIT-NLP/ReCache</a>. Data: "
        '<a href="https://x.org/d" rel="nofollow noopener">our site</a>.'
    )
    assert tex_html(source, links=False) == (
        "Code at https://github.com/EIT-NLP/ReCache. Data: our site."
    )
    assert tex_html(r"\url{https://a.org/x_y}") == (
        '<a href="https://a.org/x_y" rel="nofollow noopener">https://a.org/x_y</a>'
    )


def test_only_http_links_are_made() -> None:
    shown = tex_html(r"\href{javascript:alert(1)}{click}")
    assert shown == "click"


def test_nothing_from_the_source_reaches_the_page_unescaped() -> None:
    source = r'<script>alert(1)</script> \textbf{<img src=x onerror=alert(2)>} "q" \href{https://a.org/"><b>}{x}'
    shown = tex_html(source)
    assert "<script" not in shown and "<img" not in shown and "<b>" not in shown
    assert "&lt;script&gt;" in shown and "&lt;img" in shown
    assert 'href="https://a.org/&quot;&gt;&lt;b&gt;"' in shown


def test_plain_text_for_titles_and_descriptions() -> None:
    assert tex_plain(r"\textbf{ReCache}: key--value \% $x<y$") == "ReCache: key–value % $x<y$"
    assert tex_plain("<b>plain</b> & text") == "<b>plain</b> & text"

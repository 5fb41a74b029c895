"""TeX accents in author names, as arXiv metadata writes them, decoded to Unicode."""

from __future__ import annotations

import unicodedata

import pytest

from dailypapers.ingest.tex import ACCENTS, LETTERS, decode_tex_accents


@pytest.mark.parametrize(
    ("tex", "name"),
    [
        (r"Gr\"obner", "Gröbner"),
        (r"Sch\"{o}n", "Schön"),
        (r"{\"o}", "ö"),
        (r"Bal\'azs", "Balázs"),
        (r"Bal{\'a}zs", "Balázs"),
        (r"{\'E}mile", "Émile"),
        (r"Tom\`as", "Tomàs"),
        (r"\^ete", "ête"),
        (r"Espa\~na", "España"),
        (r"\=a", "ā"),
        (r"\.Zukowski", "Żukowski"),
        (r"\u{g}", "ğ"),
        (r"\v{S}r\'amek", "Šrámek"),
        (r"Vina\v r", "Vinař"),
        (r"Erd\H{o}s", "Erdős"),
        (r"\k{a}", "ą"),
        (r"Fran\c{c}ois", "François"),
        (r"Fran\c cois", "François"),
        (r"Fran\c{C}ois", "FranÇois"),
        (r"\r{u}", "ů"),
        (r"Mar\'{\i}a", "María"),
        (r"Mar\'\i a", "María"),
        (r"Stra\ss e", "Straße"),
        (r"Gau{\ss}", "Gauß"),
        (r"{\O}bro", "Øbro"),
        (r"M\o ller", "Møller"),
        (r"\AA ngstr\"om", "Ångström"),
        (r"{\aa}", "å"),
        (r"\l{}\'od\'z", "łódź"),
        (r"\L\'od\'z", "Łódź"),
        (r"{\ae}", "æ"),
        (r"{van der} Berg", "van der Berg"),
        ("Ileana Streinu", "Ileana Streinu"),
        ("Péter", "Péter"),
        # Not an accent: left for a reader to see rather than guessed at.
        (r"\lambda", r"\lambda"),
    ],
)
def test_decodes_accents_and_letters(tex: str, name: str) -> None:
    assert decode_tex_accents(tex) == name


def test_every_table_entry_decodes() -> None:
    for command, mark in ACCENTS.items():
        assert unicodedata.normalize("NFD", decode_tex_accents(f"\\{command}{{e}}")) == "e" + mark
    for command, letter in LETTERS.items():
        assert decode_tex_accents(f"{{\\{command}}}") == letter

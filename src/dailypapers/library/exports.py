"""A collection as a file reference managers read: BibTeX (papers/bibtex.py's entries), RIS
and CSL-JSON, each naming the arXiv id where Zotero and others look for it."""

from __future__ import annotations

import json
from collections.abc import Iterable

from dailypapers.papers.bibtex import bibtex_entry, citation_key, paper_year
from dailypapers.papers.models import Paper

CONTENT_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}


def export(papers: Iterable[Paper], format: str) -> str:
    writers = {"bib": to_bibtex, "ris": to_ris, "json": to_csl_json}
    return writers[format](list(papers))


def to_bibtex(papers: list[Paper]) -> str:
    return "\n".join(bibtex_entry(paper) for paper in papers)


def to_ris(papers: list[Paper]) -> str:
    return "".join(_ris(paper) for paper in papers)


def _ris(paper: Paper) -> str:
    kind = "JOUR" if paper.journal_ref else "GEN"
    lines = [("TY", kind), ("ID", citation_key(paper)), ("TI", " ".join(paper.title.split()))]
    lines += [("AU", name) for name in paper.authors]
    lines += [("PY", paper_year(paper)), ("AB", " ".join(paper.abstract.split()))]
    lines += [("DO", paper.doi), ("UR", paper.abs_url), ("M1", f"arXiv:{paper.arxiv_id}")]
    lines += [("JO", paper.journal_ref), ("KW", paper.primary_category)]
    body = "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value)
    return body + "ER  - \r\n\r\n"


def to_csl_json(papers: list[Paper]) -> str:
    return json.dumps([_csl(paper) for paper in papers], ensure_ascii=False, indent=2) + "\n"


def _csl(paper: Paper) -> dict[str, object]:
    item: dict[str, object] = {
        "id": citation_key(paper),
        "type": "article-journal" if paper.journal_ref else "article",
        "title": " ".join(paper.title.split()),
        "author": [_csl_name(name) for name in paper.authors],
        "abstract": " ".join(paper.abstract.split()),
        "URL": paper.abs_url,
        "number": f"arXiv:{paper.arxiv_id}",
        "publisher": "arXiv",
    }
    if year := paper_year(paper):
        item["issued"] = {"date-parts": [[int(year)]]}
    item["DOI"] = paper.doi or f"10.48550/arXiv.{paper.arxiv_id}"
    if paper.journal_ref:
        item["container-title"] = paper.journal_ref
    return item


def _csl_name(name: str) -> dict[str, str]:
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given}
    parts = name.split()
    if len(parts) < 2:
        return {"literal": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}

"""`ingest file` format detection: from the content, whatever the file is called."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.sources.files import FileFormatError, SavedPayloadSource, open_file_source
from dailypapers.ingest.sources.jsonl import JsonLinesSource

JSONL_LINE = {
    "id": "2401.02015",
    "title": "Improving Diffusion-Based Image Synthesis with Context Prediction",
    "authors": ["Ling Yang", "Jingwei Liu"],
    "categories": ["cs.CV", "cs.AI", "cs.LG"],
    "published": "2024-01-04",
}


def saved(tmp_path: Path, data: bytes, name: str = "download.dat", zipped: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if zipped else data)
    return path


def ids(source: object) -> list[str]:
    items = list(source.fetch())  # type: ignore[attr-defined]
    return [item.arxiv_id for item in items if isinstance(item, ParsedPaper)]


@pytest.mark.parametrize("zipped", [False, True])
def test_json_lines(tmp_path: Path, zipped: bool) -> None:
    path = saved(tmp_path, (json.dumps(JSONL_LINE) + "\n").encode(), "papers.xml", zipped)
    source = open_file_source(path)
    assert isinstance(source, JsonLinesSource)
    assert ids(source) == ["2401.02015"]


@pytest.mark.parametrize("zipped", [False, True])
def test_export_api_atom_in_either_format(tmp_path: Path, data_dir: Path, zipped: bool) -> None:
    classic = (data_dir / "query_cat-cs.RO_neural_classic-format_2025-10-17.xml").read_bytes()
    source = open_file_source(saved(tmp_path, classic, zipped=zipped))
    assert isinstance(source, SavedPayloadSource) and source.name == "file"
    assert ids(source) == ["2510.14968", "2510.14827"]
    new = (data_dir / "query_all-electron-proton_new-format_2025-11-11.xml").read_bytes()
    assert ids(open_file_source(saved(tmp_path, new, "new.json"))) == [
        "nucl-ex/0408020",
        "1309.4668",
        "1610.08734",
    ]


def test_announcement_feed_keeps_its_day(tmp_path: Path, data_dir: Path) -> None:
    data = (data_dir / "rss_atom_cs.AI_2025-08-20.xml").read_bytes()
    source = open_file_source(saved(tmp_path, data))
    assert source.name == "file"
    papers = [item for item in source.fetch() if isinstance(item, ParsedPaper)]
    assert len(papers) == 7 and {p.feed_day for p in papers} == {date(2025, 8, 20)}


def test_oai_pmh_response(tmp_path: Path, data_dir: Path) -> None:
    data = (data_dir / "oai_pmh_cs_page1.xml").read_bytes()
    assert ids(open_file_source(saved(tmp_path, data))) == ["2401.00685", "2401.02015"]


def test_hugging_face_listing_keeps_its_source(tmp_path: Path, data_dir: Path) -> None:
    data = (data_dir / "daily_papers_2026-06-12.json").read_bytes()
    source = open_file_source(saved(tmp_path, data, "papers.jsonl"))
    assert source.name == "hf-daily"
    papers = [item for item in source.fetch() if isinstance(item, ParsedPaper)]
    assert len(papers) == 30
    assert {p.feed_submitter for p in papers if p.arxiv_id == "2606.13392"} == {"ryanlee-dev"}


def test_hugging_face_papers_object(tmp_path: Path, data_dir: Path) -> None:
    listing = json.loads((data_dir / "daily_papers_2026-06-12.json").read_text())
    wrapped = json.dumps({"papers": listing[:3]}, indent=2).encode()
    source = open_file_source(saved(tmp_path, wrapped))
    assert source.name == "hf-daily"
    assert ids(source) == ["2606.00467", "2606.12730", "2606.13594"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"id,title\n2401.02015,Something\n", "neither JSON nor XML"),
        (b"<html><body>Not found</body></html>", "root is <html>"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title></feed>', "Atom feed"),
        (b"[1, 2, 3]", "not of Hugging Face daily papers"),
        (b'{\n  "results": []\n}', "neither JSON Lines"),
    ],
)
def test_unknown_formats_say_why(tmp_path: Path, content: bytes, reason: str) -> None:
    path = saved(tmp_path, content, "mystery.jsonl")
    with pytest.raises(
        FileFormatError, match="cannot tell the format of .*mystery.jsonl"
    ) as raised:
        open_file_source(path)
    assert reason in str(raised.value)

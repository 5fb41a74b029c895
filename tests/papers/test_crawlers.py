"""robots.txt and the sitemap: every visible paper's page listed once, in files of bounded id
ranges read by the primary key."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client

from dailypapers.papers import crawlers
from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db
NS = {"s": crawlers.XMLNS}


def locations(client: Client, path: str, tag: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{crawlers.XMLNS}}}{tag}"
    return [element.text or "" for element in root.findall(".//s:loc", NS)]


def test_robots_keeps_crawlers_off_member_pages_and_names_the_sitemap(client: Client) -> None:
    text = client.get("/robots.txt").content.decode()
    assert "User-agent: *\n" in text
    for path in ("/accounts/", "/api/", "/search", "/for-you", "/submit"):
        assert f"Disallow: {path}\n" in text
    assert text.endswith("Sitemap: http://testserver/sitemap.xml\n")
    assert "Disallow: /papers" not in text and "Disallow: /\n" not in text


def test_every_visible_paper_is_listed_once_across_the_files(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crawlers, "CHUNK", 3)
    papers = [add_paper(arxiv_id=f"2501.{n:05d}") for n in range(1, 8)]
    Paper.objects.filter(pk=papers[2].pk).update(is_hidden=True)
    files = locations(client, "/sitemap.xml", "sitemapindex")
    top = max(paper.pk for paper in papers)
    assert files == ["http://testserver/sitemaps/pages.xml"] + [
        f"http://testserver/sitemaps/papers-{n}.xml" for n in range(top // 3 + 1)
    ]
    listed = [url for path in files[1:] for url in locations(client, path, "urlset")]
    expected = [f"http://testserver/papers/{p.arxiv_id}" for p in papers if p != papers[2]]
    assert sorted(listed) == sorted(expected)
    assert locations(client, "/sitemaps/pages.xml", "urlset") == [
        "http://testserver/",
        "http://testserver/trending",
    ]
    assert client.get(f"/sitemaps/papers-{top // 3 + 1}.xml").status_code == 404


def test_a_paper_file_gives_when_each_page_last_changed(client: Client) -> None:
    add_paper(arxiv_id="2501.00001")
    Paper.objects.update(updated="2025-01-09T10:00:00Z")
    root = ET.fromstring(client.get("/sitemaps/papers-0.xml").content)
    assert [e.text for e in root.findall(".//s:lastmod", NS)] == ["2025-01-09"]


def test_a_file_reads_a_range_of_the_primary_key(
    client: Client, django_assert_max_num_queries: object
) -> None:
    for n in range(1, 30):
        add_paper(arxiv_id=f"2501.{n:05d}")
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        client.get("/sitemaps/papers-0.xml")  # the largest id, then the range
    sql, params = crawlers.chunk(0).values_list("arxiv_id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in plan, plan
            assert "TEMP B-TREE" not in plan, plan  # in id order as read: no sort
        else:
            # A few rows: rule out the scans a planner takes only because the table is tiny
            # (at 3M a 50,000-id range is an index scan in id order, docs/operations.md).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            # Unanalysed, every index looks equally selective, and a scan of another index
            # then a sort may cost the same; a plan in id order must exist without the sort.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " | ".join(row[0] for row in cursor.fetchall())
            assert "Index Scan using papers_paper_pkey" in plan, plan
            assert "Sort" not in plan, plan

"""A paper page as Markdown (GET /papers/{id}.md), what `hf papers read` prints: the facts,
the abstract and the comment threads, in the order the HTML page shows them."""

from __future__ import annotations

from dailypapers.api.listings import daily_entry
from dailypapers.api.shapes import submitter
from dailypapers.community.comments import Thread
from dailypapers.community.models import Comment
from dailypapers.papers.models import Paper


def paper_markdown(paper: Paper, threads: list[Thread], page_url: str) -> str:
    lines = [f"# {_line(paper.title)}", ""]
    if paper.authors:
        lines += [f"**Authors:** {', '.join(_line(name) for name in paper.authors)}", ""]
    lines += _facts(paper, page_url)
    lines += ["", "## Abstract", "", paper.abstract.strip() or "(No abstract.)", ""]
    if threads:
        lines += [f"## Comments ({paper.num_comments})", ""]
        for thread in threads:
            lines += _comment(thread.comment, "")
            for reply in thread.replies:
                lines += _comment(reply, "> ")
    return "\n".join(lines).rstrip() + "\n"


def _facts(paper: Paper, page_url: str) -> list[str]:
    entry = daily_entry(paper)
    by = submitter(entry)
    facts = [
        ("arXiv", f"[{paper.arxiv_id}]({paper.abs_url}) ([PDF]({paper.pdf_url}))"),
        ("Published", f"{paper.published:%Y-%m-%d}" if paper.published else ""),
        ("Categories", ", ".join(paper.category_list)),
        ("In the daily feed", f"{entry.day:%Y-%m-%d}" if entry else ""),
        ("Submitted by", by["fullname"] if by else ""),
        ("Upvotes", str(paper.upvotes)),
        ("Code", paper.github_repo),
        ("Project page", paper.project_page),
        ("Page", page_url),
    ]
    return [f"- **{name}:** {value}" for name, value in facts if value]


def _comment(comment: Comment, quote: str) -> list[str]:
    if comment.deleted_at is not None:
        return [f"{quote}*(deleted)*", ""]
    head = f"**{comment.author.get_username()}** · {comment.created_at:%Y-%m-%d %H:%M} UTC"
    body = [f"{quote}{line}".rstrip() for line in comment.body.splitlines()]
    return [f"{quote}{head}", quote.rstrip(), *body, ""]


def _line(text: str) -> str:
    """Titles and names on one line, whatever line breaks the source kept."""
    return " ".join(text.split())

"""The `dailypapers` command: the operator's one entry point, a thin face over Django commands.

Example: dailypapers ingest arxiv-api --query 'cat:cs.CL' --max 200
"""

from __future__ import annotations

import os
import sys

OPERATOR_COMMANDS = {
    "migrate": "Create or upgrade the database tables.",
    "serve": "Serve the site with a production server (gunicorn).",
    "ingest": "Bring papers in from arXiv, Hugging Face or a local file.",
    "search": "Search indexes: status, update (catch up), reindex (rebuild).",
    "summaries": "One-line summaries and keywords: update (new papers, backfill), status.",
    "thumbnails": "First-page thumbnails: run (new papers), backfill (older ones), status.",
    "eval": "Measure search quality on a BEIR-format dataset.",
    "digest": "Email digests: send one round by hand (digest send [--dry-run]).",
    "backfill": "Import history (an arXiv snapshot, or OAI-PMH from a date); resumable.",
    "worker": "Run the task engine's workers: schedule, ingests, search, digests, submissions.",
    "status": "How the instance is doing: ingestion per source, search backlog, jobs, outbox.",
    "database": "Back up, restore, or copy every row to another database (SQLite to PostgreSQL).",
    "createsuperuser": "Create an administrator account.",
    "check": "Check the configuration for problems.",
}


def usage() -> str:
    lines = ["usage: dailypapers <command> [options]", "", "Commands:"]
    lines += [f"  {name:<16} {text}" for name, text in OPERATOR_COMMANDS.items()]
    lines += [
        "",
        "`dailypapers <command> --help` explains each command.",
        "Any other Django management command also works (dailypapers help --commands).",
        "The database comes from DATABASE_URL (default sqlite:///var/dailypapers.sqlite3).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        print(usage())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dailypapers", *args])


if __name__ == "__main__":
    main()

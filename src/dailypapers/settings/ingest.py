"""Ingestion settings: sources' addresses (settings, so tests can point them at loopback)."""

from __future__ import annotations

from dailypapers.config import env
from dailypapers.settings.core import DATA_DIR

ARXIV_API_URL = env(
    "ARXIV_API_URL", "https://export.arxiv.org/api/query", "arXiv export API endpoint (Atom)."
)
ARXIV_RSS_URL = env(
    "ARXIV_RSS_URL",
    "https://rss.arxiv.org/atom",
    "arXiv announcement feeds base URL; the category is appended.",
)
ARXIV_OAI_URL = env("ARXIV_OAI_URL", "https://oaipmh.arxiv.org/oai", "arXiv OAI-PMH endpoint.")
HF_API_URL = env(
    "HF_API_URL", "https://huggingface.co", "Hugging Face base URL for /api/daily_papers."
)
INGEST_REQUEST_INTERVAL = env(
    "INGEST_REQUEST_INTERVAL",
    "3.0",
    "Minimum seconds between two requests to the same host (arXiv asks for 3).",
    float,
)
ARXIV_BUDGET_FILE = env(
    "ARXIV_BUDGET_FILE",
    str(DATA_DIR / "arxiv-budget"),
    "File every process locks to space its arXiv requests (API, RSS, OAI-PMH, PDFs) by "
    "INGEST_REQUEST_INTERVAL: one shared budget per file (docs/ingest.md, Politeness).",
)
INGEST_MAX_RETRIES = env(
    "INGEST_MAX_RETRIES", "5", "Retries on 429/5xx before a fetch gives up.", int
)
INGEST_TIMEOUT = env("INGEST_TIMEOUT", "30", "Seconds before a source request times out.", float)
INGEST_USER_AGENT = env(
    "INGEST_USER_AGENT",
    "dailypapers/0.1 (self-hosted)",
    "User-Agent sent to arXiv and Hugging Face.",
)
OAI_FIRST_HARVEST_DAYS = env(
    "OAI_FIRST_HARVEST_DAYS",
    "7",
    "How many days back a first OAI-PMH harvest of a set starts when no --from is given and "
    "nothing was harvested before; older history only by an explicit --from (docs/ingest.md).",
    int,
)
SNAPSHOT_FEED_DAYS = env(
    "SNAPSHOT_FEED_DAYS",
    "14",
    "Papers read from an arXiv metadata snapshot enter the daily feed only when announced within "
    "this many days of today; older ones are stored (searchable, on author pages) outside the "
    "feed. 0: none enters the feed.",
    int,
)
INGEST_BULK_MIN_PAPERS = env(
    "INGEST_BULK_MIN_PAPERS",
    "100000",
    "A file import expected to bring at least this many papers, and at least half as many as "
    "the database holds, is a bulk load: the indexes whose keys fall at random (author names, "
    "title and DOI keys) are dropped for it and built again at its end (docs/ingest.md). 0: "
    "never.",
    int,
)

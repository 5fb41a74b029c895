"""Search settings; see docs/search.md."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from dailypapers.config import env
from dailypapers.settings.core import DATA_DIR

SEARCH_INDEX_DIR = env(
    "SEARCH_INDEX_DIR",
    str(DATA_DIR / "search"),
    "Directory of the lexical index and the vector snapshot.",
)
SEARCH_EMBEDDER = env(
    "SEARCH_EMBEDDER",
    "onnx",
    "Sentence embedder: onnx (all-MiniLM-L6-v2, shipped) or null (lexical search only).",
)
SEARCH_EMBED_THREADS = (
    env(
        "SEARCH_EMBED_THREADS",
        "0",
        "Papers embedded at once, one core each (the indexer, evaluations); 0 means one per core.",
        int,
    )
    or None
)
SEARCH_VECTORS = env(
    "SEARCH_VECTORS",
    "memory",
    "Where semantic search looks on PostgreSQL: memory (the host's memory-mapped vector file, "
    "as on SQLite: one copy per machine shared by its processes, built by each host's "
    "indexer) or database (pgvector's HNSW index, shared by every host: no file to build, "
    "but 3 to 10 times slower per search; docs/search.md).",
)
if SEARCH_VECTORS not in ("database", "memory"):
    raise ImproperlyConfigured(f"SEARCH_VECTORS must be database or memory, not {SEARCH_VECTORS!r}")
SEARCH_QUERY_THREADS = (
    env(
        "SEARCH_QUERY_THREADS",
        "1",
        "ONNX Runtime threads embedding a search query in a web process (the keyword search runs "
        "beside it); 0 means one per core.",
        int,
    )
    or None
)
SEARCH_EMBED_BUDGET_MS = env(
    "SEARCH_EMBED_BUDGET_MS",
    "250",
    "Longest a query embedding may take before search answers lexically and says so.",
    float,
)
SEARCH_HNSW_EF = env(
    "SEARCH_HNSW_EF", "96", "HNSW search breadth (ef); higher is more exact and slower.", int
)
SEARCH_CANDIDATES = env(
    "SEARCH_CANDIDATES",
    "100",
    "How many results each of lexical and semantic search hands to the fusion.",
    int,
)
SEARCH_RRF_K = env(
    "SEARCH_RRF_K",
    "2",
    "The k of reciprocal rank fusion (tuned on SciFact train, docs/search.md).",
    float,
)
SEARCH_LEXICAL_WEIGHT = env(
    "SEARCH_LEXICAL_WEIGHT", "1.25", "Weight of the lexical ranking in the fusion.", float
)
SEARCH_DENSE_WEIGHT = env(
    "SEARCH_DENSE_WEIGHT", "1.0", "Weight of the semantic ranking in the fusion.", float
)
SEARCH_UPDATE_INTERVAL = env(
    "SEARCH_UPDATE_INTERVAL",
    "30",
    "Seconds between two catch-ups of the background search indexer that `serve` runs.",
    float,
)
SEARCH_PAGE_SIZE = env("SEARCH_PAGE_SIZE", "20", "Results per search page.", int)

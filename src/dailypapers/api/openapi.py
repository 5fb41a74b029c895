"""The OpenAPI 3.1 document of the API (/api/openapi.json), kept by hand beside the views;
/api/docs renders it (reference.py). tests/api/test_schema.py runs Schemathesis
against it, so a response that drifts from what is written here fails the suite."""

from __future__ import annotations

from typing import Any

from dailypapers.api.params import DEFAULT_LIMIT, DEFAULT_SEARCH_LIMIT, MAX_LIMIT, MAX_PAGE
from dailypapers.api.schemas import ARXIV_ID, JSON, SCHEMAS, ref

ERRORS = {
    400: "Bad parameters or body.",
    401: "No token, or an unknown or revoked one.",
    403: "The token's account is suspended.",
    404: "No such paper (or it is hidden), or no such submission of yours.",
    405: "Method not allowed here.",
    409: "The paper is already in the daily feed.",
    429: "Too many requests: wait Retry-After seconds.",
    503: "arXiv could not be reached to fetch the paper.",
}
VALIDATORS = {
    "ETag": {"description": "Hash of the body.", "schema": {"type": "string"}},
    "Last-Modified": {"description": "Newest change listed.", "schema": {"type": "string"}},
}
RETRY_AFTER = {"Retry-After": {"required": True, "schema": {"type": "string"}}}


def _error(status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": ERRORS[status],
        "content": {JSON: {"schema": ref("Error")}},
    }
    if status == 429:
        answer["headers"] = RETRY_AFTER
    return answer


def _ok(schema: dict[str, Any], description: str, media: str = JSON) -> dict[str, Any]:
    return {
        "description": description,
        "headers": VALIDATORS,
        "content": {media: {"schema": schema}},
    }


def _query(name: str, description: str, schema: dict[str, Any], required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


PAPER_ID = {
    "name": "arxiv_id",
    "in": "path",
    "required": True,
    "description": "arXiv id, e.g. 2501.01234 or hep-th/9901001; a version is ignored.",
    "schema": {"type": "string", "pattern": ARXIV_ID},
}
SUBMISSION_ID = {
    "name": "submission_id",
    "in": "path",
    "required": True,
    "description": "The id POST /api/papers/submit answered with.",
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
}
LIMIT = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}
NOT_MODIFIED = {"description": "Not modified since the ETag or date the client sent."}
DAILY_PARAMETERS = [
    _query(
        "date",
        "One feed day, YYYY-MM-DD.",
        {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    ),
    _query(
        "week", "One ISO week, YYYY-Www.", {"type": "string", "pattern": r"^[0-9]{4}-W[0-9]{2}$"}
    ),
    _query("month", "One month, YYYY-MM.", {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$"}),
    _query(
        "submitter",
        "Only papers this username submitted.",
        {"type": "string", "pattern": r"^[\w.@+\-]{1,150}$"},
    ),
    _query(
        "cat",
        "Only papers listing this arXiv category (this site's addition).",
        {"type": "string", "pattern": r"^[\w.\-]{1,64}$"},
    ),
    _query(
        "sort",
        "publishedAt: newest first; trending: the trending score. "
        "Left out: the site's order (upvotes, then newest).",
        {"type": "string", "enum": ["publishedAt", "trending"]},
    ),
    _query(
        "has_code",
        "1: only papers naming a code repository (githubRepo); this site's addition.",
        {"type": "string", "enum": ["0", "1", "true", "false"]},
    ),
    _query("p", "Page, from 0.", {"type": "integer", "minimum": 0, "maximum": MAX_PAGE}),
    _query("limit", f"Papers per page (default {DEFAULT_LIMIT}).", LIMIT),
]
TOKEN: list[dict[str, list[str]]] = [{"token": []}]


def _read(summary: str, parameters: list[dict], ok: dict[str, Any], errors: list[int]) -> dict:
    responses = {"200": ok, "304": NOT_MODIFIED, **{str(s): _error(s) for s in [*errors, 429]}}
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def _write(summary: str, ok: dict[str, Any], errors: list[int], **extra: Any) -> dict[str, Any]:
    responses = {**ok, **{str(s): _error(s) for s in [401, 403, *errors, 429]}}
    return {"summary": summary, "security": TOKEN, "responses": responses, **extra}


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "required": required, "properties": properties}
    return {"required": True, "content": {JSON: {"schema": schema}}}


FEED_FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "rss (RSS 2.0) or atom (Atom 1.0).",
    "schema": {"type": "string", "enum": ["rss", "atom"]},
}
FEED_CATEGORY = _query(
    "cat",
    "Only papers listing this arXiv category.",
    {"type": "string", "pattern": r"^[\w.\-]{1,64}$"},
)
FEED_MEDIA = ("application/rss+xml", "application/atom+xml")


def _feed(summary: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    """A feed: XML, not JSON; a period or query that names nothing is the site's 404 page."""
    xml = {media: {"schema": {"type": "string"}} for media in FEED_MEDIA}
    responses = {
        "200": {"description": "The feed.", "headers": VALIDATORS, "content": xml},
        "304": NOT_MODIFIED,
        "404": {
            "description": "No such period or category, or no query.",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
    }
    return {
        "get": {
            "summary": summary,
            "tags": ["feeds"],
            "parameters": [FEED_FORMAT, *parameters],
            "responses": responses,
        }
    }


def _slug(name: str, description: str, pattern: str) -> dict[str, Any]:
    schema = {"type": "string", "pattern": pattern}
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def feed_paths() -> dict[str, Any]:
    return {
        "/feeds/latest.{format}": _feed("The newest papers, newest day first.", [FEED_CATEGORY]),
        "/feeds/date/{date}.{format}": _feed(
            "One day's papers.",
            [_slug("date", "YYYY-MM-DD", DAILY_PARAMETERS[0]["schema"]["pattern"]), FEED_CATEGORY],
        ),
        "/feeds/week/{week}.{format}": _feed(
            "One ISO week's papers.",
            [_slug("week", "YYYY-Www", DAILY_PARAMETERS[1]["schema"]["pattern"]), FEED_CATEGORY],
        ),
        "/feeds/month/{month}.{format}": _feed(
            "One month's papers.",
            [_slug("month", "YYYY-MM", DAILY_PARAMETERS[2]["schema"]["pattern"]), FEED_CATEGORY],
        ),
        "/feeds/trending.{format}": _feed("The trending papers.", [FEED_CATEGORY]),
        "/feeds/categories/{category}.{format}": _feed(
            "The newest papers listing an arXiv category.",
            [_slug("category", "e.g. cs.CL", r"^[\w.\-]{1,64}$")],
        ),
        "/feeds/search.{format}": _feed(
            "The best matches of a search.",
            [
                _query(
                    "q",
                    "What to search for, as on the search page.",
                    {"type": "string", "minLength": 1, "maxLength": 1000, "pattern": r"\S"},
                    required=True,
                )
            ],
        ),
    }


def paths() -> dict[str, Any]:
    daily = {"type": "array", "items": ref("DailyPaper")}
    vote = {"200": {"description": "The vote now.", "content": {JSON: {"schema": ref("Vote")}}}}
    return {
        "/api/daily_papers": _read(
            "The daily feed: a day, week or month (default: the whole feed, newest day first).",
            DAILY_PARAMETERS,
            _ok(daily, "One page of the listing; past the last page, an empty list."),
            [400],
        ),
        "/api/papers/search": _read(
            "Hybrid (keyword and semantic) search, best match first.",
            [
                _query(
                    "q",
                    "Words, an arXiv id, or filters (author:, cat:, year:).",
                    {"type": "string", "minLength": 1, "maxLength": 1000, "pattern": r"\S"},
                    required=True,
                ),
                _query("limit", f"Results (default {DEFAULT_SEARCH_LIMIT}).", LIMIT),
            ],
            _ok(daily, "The results."),
            [400],
        ),
        "/api/papers/{arxiv_id}": _read(
            "One paper.", [PAPER_ID], _ok(ref("Paper"), "The paper."), [404]
        ),
        "/papers/{arxiv_id}.md": _read(
            "The paper page as Markdown.",
            [PAPER_ID],
            _ok({"type": "string"}, "The page.", "text/markdown"),
            [404],
        ),
        "/api/papers/{arxiv_id}/upvote": {
            "parameters": [PAPER_ID],
            "post": _write("Upvote the paper (idempotent).", vote, [404]),
            "delete": _write("Take the upvote back (idempotent).", vote, [404]),
        },
        "/api/papers/{arxiv_id}/comment": {
            "parameters": [PAPER_ID],
            "post": _write(
                "Comment on the paper, or reply to a comment.",
                {"201": {"description": "Posted.", "content": {JSON: {"schema": ref("Comment")}}}},
                [400, 404],
                requestBody=_body(
                    {
                        "comment": {"type": "string", "description": "Markdown."},
                        "parent": {"type": "string", "description": "Comment id to reply to."},
                    },
                    ["comment"],
                ),
            ),
        },
        "/api/papers/submit": {
            "post": _write(
                "Submit a paper to today's feed, by arXiv id or URL: answered at once, arXiv "
                "is asked in the background (follow Location).",
                {
                    "202": {
                        "description": "Accepted for checking: its status is at Location.",
                        "content": {JSON: {"schema": ref("Submission")}},
                    }
                },
                [400, 409],
                requestBody=_body({"id": {"type": "string"}}, ["id"]),
            ),
        },
        "/api/submissions/{submission_id}": {
            "get": _write(
                "One of the member's submissions: pending, accepted (with the paper) or refused.",
                {
                    "200": {
                        "description": "Its status.",
                        "content": {JSON: {"schema": ref("Submission")}},
                    }
                },
                [404],
                parameters=[SUBMISSION_ID],
            ),
        },
        "/api/openapi.json": {
            "get": {
                "summary": "This document.",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1.",
                        "content": {JSON: {"schema": {"type": "object"}}},
                    },
                    "429": _error(429),
                },
            }
        },
    }


def document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Daily Papers API",
            "version": "1.0",
            "description": (
                "Hugging Face's Daily Papers API, self-hosted: huggingface_hub and `hf papers` "
                "work unchanged with HF_ENDPOINT set to this site. Reads are open to all "
                "(CORS); writes need a personal token from your settings page."
            ),
        },
        "servers": [{"url": base_url}],
        "paths": {**paths(), **feed_paths()},
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (dp_...), made in your settings.",
                }
            },
        },
    }

"""The JSON Schemas of the API's shapes (shapes.py): the components of the OpenAPI document
that openapi.py assembles."""

from __future__ import annotations

from typing import Any

ARXIV_ID = r"^(?:[0-9]{4}\.[0-9]{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/[0-9]{7})(?:v[0-9]+)?$"
JSON = "application/json"


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


# Made on this machine (docs/summaries.md); null until made, or when switched off.
AI_FIELDS: dict[str, Any] = {
    "ai_summary": _nullable("string", description="One sentence from the abstract."),
    "ai_keywords": {
        "type": ["array", "null"],
        "items": {"type": "string"},
        "description": "Three to six keyphrases.",
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": {"type": "string", "description": "What went wrong."}}),
    "User": _object(
        {
            "_id": {"type": "string"},
            "avatarUrl": {"type": "string", "description": "Always empty: no avatars here."},
            "fullname": {"type": "string", "description": "Display name."},
            "name": {"type": "string", "description": "Username."},
            "user": {"type": "string", "description": "Username (what huggingface_hub reads)."},
            "type": {"const": "user"},
            "isPro": {"type": "boolean"},
        },
        "A member, or a Hugging Face user who submitted the paper there.",
    ),
    "Author": _object(
        {"_id": {"type": "string"}, "name": {"type": "string"}, "hidden": {"type": "boolean"}}
    ),
    "Paper": _object(
        {
            "id": {"type": "string", "description": "arXiv id, without version."},
            "authors": {"type": "array", "items": ref("Author")},
            "publishedAt": _nullable("string", format="date-time"),
            "submittedOnDailyAt": _nullable(
                "string", format="date-time", description="When it entered the daily feed."
            ),
            "title": {"type": "string"},
            "submittedOnDailyBy": {"oneOf": [ref("User"), {"type": "null"}]},
            "summary": {"type": "string", "description": "The abstract."},
            "upvotes": {"type": "integer", "minimum": 0},
            "discussionId": {"type": "string"},
            "numComments": {"type": "integer", "minimum": 0},
            "githubRepo": _nullable("string"),
            "githubStars": _nullable("integer", minimum=0),
            "projectPage": _nullable("string"),
            "categories": {"type": "array", "items": {"type": "string"}},
            **AI_FIELDS,
        },
        "A paper, as GET /api/papers/{arxiv_id} answers and inside every listing item.",
    ),
    "DailyPaper": _object(
        {
            "paper": ref("Paper"),
            "publishedAt": _nullable("string", format="date-time"),
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "numComments": {"type": "integer", "minimum": 0},
            "submittedBy": {"oneOf": [ref("User"), {"type": "null"}]},
            "isAuthorParticipating": {"type": "boolean"},
            "upvotes": {"type": "integer", "minimum": 0},
            "githubRepo": _nullable("string"),
            "githubStars": _nullable("integer", minimum=0),
            "projectPage": _nullable("string"),
            **AI_FIELDS,
            "thumbnail": _nullable("string", description="URL of the first page's image."),
        },
        "One listing item, in the shape of Hugging Face's /api/daily_papers.",
    ),
    "Vote": _object(
        {"id": {"type": "string"}, "upvoted": {"type": "boolean"}, "upvotes": {"type": "integer"}}
    ),
    "Submission": _object(
        {
            "id": {"type": "integer"},
            "arxivId": {"type": "string"},
            "status": {"type": "string", "enum": ["pending", "accepted", "refused"]},
            "rule": _nullable("string", description="The rule a refusal broke."),
            "reason": _nullable("string", description="Why it was refused, for the member."),
            "paper": {
                "oneOf": [ref("DailyPaper"), {"type": "null"}],
                "description": "The listing item, once accepted.",
            },
        },
        "A submission while arXiv is asked about it in the background (docs/api.md).",
    ),
    "Comment": _object(
        {
            "id": {"type": "string"},
            "paper": {"type": "string"},
            "parent": _nullable("string"),
            "author": ref("User"),
            "body": {"type": "string", "description": "Markdown, as written."},
            "createdAt": {"type": "string", "format": "date-time"},
        }
    ),
}

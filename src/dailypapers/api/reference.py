"""The API reference page's content (/api/docs), read from the OpenAPI document so the page
and the document never disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dailypapers.api.openapi import JSON, SCHEMAS, document


@dataclass
class Operation:
    """One operation as the docs page lists it."""

    method: str
    path: str
    summary: str
    needs_token: bool
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body: list[tuple[str, str]] = field(default_factory=list)
    responses: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "-".join(re.findall(r"[a-z0-9_]+", f"{self.method} {self.path}".lower()))


def operations(base_url: str) -> list[Operation]:
    """Every operation of the document, with its parameters and responses spelled out."""
    found = []
    for path, item in document(base_url)["paths"].items():
        shared = item.get("parameters", [])
        for method in ("get", "post", "delete"):
            if method in item:
                found.append(_operation(method, path, item[method], shared))
    return found


def _operation(method: str, path: str, spec: dict[str, Any], shared: list[dict]) -> Operation:
    body = spec.get("requestBody", {}).get("content", {}).get(JSON, {}).get("schema", {})
    return Operation(
        method=method.upper(),
        path=path,
        summary=spec["summary"],
        needs_token="security" in spec,
        parameters=[*shared, *spec.get("parameters", [])],
        body=[
            (name, prop.get("description", "")) for name, prop in body.get("properties", {}).items()
        ],
        responses=[
            (status, answer["description"], _schema_name(answer))
            for status, answer in spec["responses"].items()
        ],
    )


def _schema_name(answer: dict[str, Any]) -> str:
    for media in answer.get("content", {}).values():
        schema = media["schema"]
        if "$ref" in schema:
            return schema["$ref"].rsplit("/", 1)[-1]
        if schema.get("type") == "array":
            return "list of " + schema["items"]["$ref"].rsplit("/", 1)[-1]
        return str(schema.get("type", ""))
    return ""


@dataclass
class SchemaField:
    name: str
    type: str
    description: str


def schemas() -> list[tuple[str, str, list[SchemaField]]]:
    """Each response schema's fields, for the docs page."""
    return [
        (
            name,
            schema.get("description", ""),
            [
                SchemaField(prop, _type_name(spec), spec.get("description", ""))
                for prop, spec in schema["properties"].items()
            ],
        )
        for name, schema in SCHEMAS.items()
    ]


def _type_name(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "oneOf" in spec:
        return " or ".join(_type_name(choice) for choice in spec["oneOf"])
    if "const" in spec:
        return f'"{spec["const"]}"'
    kind = spec.get("type", "")
    if kind == "array":
        return f"list of {_type_name(spec['items'])}"
    return " or ".join(kind) if isinstance(kind, list) else str(kind)

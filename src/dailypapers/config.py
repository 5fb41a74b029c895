"""The one place that maps environment variables to settings.

Every setting is declared here with a default and a line of help; docs/operations.md lists them
and tests/test_config.py fails when one is undocumented.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {}


def env(name: str, default: str, help: str, cast: Callable[[str], Any] = str) -> Any:
    """Declare a setting read from the environment variable `name` and return its value."""
    SETTINGS[name] = Setting(name, default, help)
    return cast(os.environ.get(name, default))


def as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def as_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def load_or_create_secret(path: Path) -> str:
    """A per-installation secret kept in `path` (mode 0600), created on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(50)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret

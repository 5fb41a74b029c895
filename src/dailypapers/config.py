"""The one place that maps environment variables to settings.

Every setting is declared here with a default and a line of help; docs/operations.md lists them
and tests/test_config.py fails when one is undocumented.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
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

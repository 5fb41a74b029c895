"""Every setting is documented; the secret key is generated safely when none is given."""

from __future__ import annotations

import stat
from pathlib import Path

from django.conf import settings

from dailypapers.config import SETTINGS, load_or_create_secret

DOCS = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


def test_every_setting_is_documented() -> None:
    documented = DOCS.read_text()
    missing = [name for name in SETTINGS if f"`{name}`" not in documented]
    assert SETTINGS, "no settings were declared"
    assert missing == []


def test_every_setting_has_help() -> None:
    assert all(len(setting.help) > 10 for setting in SETTINGS.values())


def test_secret_is_created_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "secret_key"
    first = load_or_create_secret(path)
    assert len(first) >= 50
    assert load_or_create_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_database_url_selects_the_database() -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    assert engine.rsplit(".", 1)[-1] in {"sqlite3", "postgresql"}

"""The default cache's backend: Django's file cache, without compression
(docs/benchmarks.md, "Page cache backends")."""

from __future__ import annotations

import pickle
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class PlainFileCache(FileBasedCache):
    """FileBasedCache minus zlib. Pages are read far more often than written, and inflating
    a 100 KB feed took longer than all the rest of a cache hit; the disk holds the pages as
    they are sent (CACHE_MAX_ENTRIES bounds it)."""

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        path = self._key_to_file(key, version)  # type: ignore[attr-defined]
        try:
            with open(path, "rb") as file:
                if not self._is_expired(file):  # type: ignore[attr-defined]
                    return pickle.loads(file.read())
        except FileNotFoundError:
            pass
        except (pickle.UnpicklingError, EOFError, ValueError):
            # Written by FileBasedCache (compressed) before the switch, or cut short: gone.
            self._delete(path)  # type: ignore[attr-defined]
        return default

    def _write_content(self, file: Any, timeout: Any, value: Any) -> None:
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        value = self.get(key, self._missing_key, version)  # FileBasedCache's would inflate
        if value is self._missing_key:
            return False
        self.set(key, value, timeout, version)
        return True

"""The default cache's backend: Django's file cache, without compression
(docs/benchmarks.md, "Page cache backends")."""

from __future__ import annotations

import itertools
import pickle
import random
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

# Sets between two counts of the cache's files, per process. Django counts every file of the
# directory on each set, to know whether to cull: 10 ms a set at 3,000 entries on a slow
# machine, paid by every page the cache keeps and every API read (the read limit's counter).
CULL_EVERY = 50
_SETS = itertools.count(1)  # shared by the process's threads (each has its own backend)


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

    def _cull(self) -> None:
        """Django's cull on one set in CULL_EVERY, taking the cache back to MAX_ENTRIES less
        a CULL_FREQUENCY-th (Django's takes a CULL_FREQUENCY-th of what is there, which
        counting on every set keeps just under MAX_ENTRIES); between two, a process may add
        up to CULL_EVERY entries past MAX_ENTRIES."""
        if next(_SETS) % CULL_EVERY:
            return
        files = self._list_cache_files()  # type: ignore[attr-defined]
        most: int = self._max_entries
        if len(files) < most:
            return
        if self._cull_frequency == 0:
            self.clear()
            return
        keep = most - most // self._cull_frequency
        for name in random.sample(files, len(files) - keep):
            self._delete(name)  # type: ignore[attr-defined]

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        value = self.get(key, self._missing_key, version)  # FileBasedCache's would inflate
        if value is self._missing_key:
            return False
        self.set(key, value, timeout, version)
        return True

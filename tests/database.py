"""pytest plugin choosing the test database; loaded with `-p tests.database` (pyproject.toml).

It must be a plugin: pytest-django reads the settings before conftest.py files are imported.
DAILYPAPERS_TEST_DB=postgres starts a real PostgreSQL on loopback for the whole run.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

# The shared cache (the default file cache, as in production) lives in this run's own
# directory, never in ./var, which other runs and a development server use.
_cache_directory = tempfile.mkdtemp(prefix="dailypapers-cache-")
atexit.register(shutil.rmtree, _cache_directory, ignore_errors=True)
os.environ["CACHE_URL"] = f"file://{_cache_directory}"

if os.environ.get("DAILYPAPERS_TEST_DB") == "postgres":
    from tests.pgserver import start_postgres

    _server = start_postgres()
    atexit.register(_server.stop)
    os.environ["DATABASE_URL"] = _server.url
else:
    # A file, not memory: WAL, the busy timeout and IMMEDIATE transactions behave as in
    # production, which the concurrency tests need.
    _directory = tempfile.mkdtemp(prefix="dailypapers-test-")
    atexit.register(shutil.rmtree, _directory, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{_directory}/dailypapers.sqlite3"
    os.environ["SQLITE_TEST_NAME"] = f"{_directory}/test.sqlite3"

"""The supervisor `serve` runs: a helper that dies is reported and started again, and the
helpers stop with the main process."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

from dailypapers.processes import supervise


def test_a_dying_helper_is_reported_and_started_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    starts = tmp_path / "starts"
    dies = f"open({str(starts)!r}, 'a').write('x'); raise SystemExit(3)"
    main = [sys.executable, "-c", "import time; time.sleep(3)"]
    with caplog.at_level(logging.ERROR, logger="dailypapers.processes"):
        status = supervise(main, [[sys.executable, "-c", dies]], first_backoff=0.2)
    assert status == 0
    assert len(starts.read_text()) >= 3  # started, then started again after each death
    reports = [record.getMessage() for record in caplog.records]
    assert reports and all("exited with status 3" in report for report in reports)


def test_the_helpers_stop_when_the_main_process_ends(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    helper = (
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    )
    main = [sys.executable, "-c", "import time; time.sleep(1.5)"]
    assert supervise(main, [[sys.executable, "-c", helper]]) == 0
    pid = int(pid_file.read_text())
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def test_a_helper_knows_when_its_supervisor_is_gone(tmp_path: Path) -> None:
    """A helper whose supervisor died before it asked to die with it would run on as an
    orphan: `orphaned()` tells it, from the pid its supervisor left in its environment."""
    import subprocess

    from dailypapers.processes import SUPERVISOR_ENV, Supervised

    report = tmp_path / "orphaned"
    helper = (
        "import os; from dailypapers.processes import orphaned; "
        f"open({str(report)!r}, 'w').write(str(orphaned()) + ' ' + os.environ[{SUPERVISOR_ENV!r}])"
    )
    child = Supervised([sys.executable, "-c", helper], 1.0, 1.0)
    assert child.process is not None and child.process.wait(timeout=60) == 0
    assert report.read_text() == f"False {os.getpid()}"  # started by this process, alive
    # The same helper started with a supervisor pid that is not its parent: orphaned.
    env = dict(os.environ, **{SUPERVISOR_ENV: "1"})
    subprocess.run([sys.executable, "-c", helper], env=env, check=True, timeout=60)
    assert report.read_text() == "True 1"

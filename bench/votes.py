"""Benchmark: upvote requests per second through the full HTTP stack (gunicorn, middleware,
sessions, CSRF, the vote view), on SQLite and on PostgreSQL, then the count check.

Usage: .venv/bin/python bench/votes.py [--members 50] [--papers 20] [--clients 16]
         [--client wrk|python] [--duration 10] [--requests 4000]
         [--database sqlite|postgres|both]
Members vote and unvote at random on the same few papers from many connections at once;
afterwards every paper's local count must equal its vote rows, and nobody votes twice.
The load comes from wrk (2 threads, a Lua script choosing member, paper and direction per
request) for --duration seconds, as bench/reads.py loads the reads: a client in C leaves the
two cores to the server. `--client python` is the earlier client (--requests spread over
--clients threads of http.client in this process), which itself took a share of the cores.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from scratch_database import scratch_database

BIN = Path(sys.executable).parent / "dailypapers"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--papers", type=int, default=20)
    parser.add_argument("--requests", type=int, default=4000, help="--client python only")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of wrk's run.")
    parser.add_argument("--clients", type=int, default=16, help="Connections.")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    rows = []
    for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
        rows.append((database, *run(database, args)))
    print(
        f"members {args.members}, papers {args.papers}, client {args.client}, "
        f"{args.clients} connections, gunicorn workers {args.workers} x {args.threads} threads"
    )
    print("| database | votes/s | median ms | p99 ms | errors | counts true |")
    print("|---|---:|---:|---:|---:|---|")
    for database, rate, median, p99, errors, true in rows:
        print(f"| {database} | {rate:,.0f} | {median:.1f} | {p99:.1f} | {errors} | {true} |")
    print(f"Command: python bench/votes.py {' '.join(sys.argv[1:])}")
    return 0 if all(row[-1] for row in rows) else 1


def run(database: str, args: argparse.Namespace) -> tuple[float, float, float, int, bool]:
    scratch = Path(tempfile.mkdtemp(prefix="dailypapers-votes-"))
    url, server = scratch_database(database, scratch, "votes.sqlite3")
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DAILYPAPERS_DATA_DIR=str(scratch),
        SECRET_KEY="bench-" + secrets.token_hex(16),
        SEARCH_EMBEDDER="null",
        WEB_WORKERS=str(args.workers),
        WEB_THREADS=str(args.threads),
        # The rate limits would answer most of a benchmark's votes with 429.
        VOTES_PER_MINUTE="1000000",
        VOTES_PER_MINUTE_PER_ADDRESS="1000000",
    )
    try:
        subprocess.run([str(BIN), "migrate", "-v", "0"], env=env, check=True)
        sessions, papers = _fixtures(env, args.members, args.papers)
        port = _free_port()
        web = subprocess.Popen(
            [
                str(BIN),
                "serve",
                "--no-indexer",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port)
            if args.client == "wrk":
                result = _wrk(port, sessions, papers, args, scratch)
            else:
                result = _summary(*_hammer(port, sessions, papers, args))
        finally:
            web.terminate()
            web.wait(timeout=30)
        true = _counts_true(env)
    finally:
        if server:
            server.stop()
        shutil.rmtree(scratch, ignore_errors=True)  # the database, the cache, static files
    return (*result, true)


def _summary(timings: list[float], errors: int, seconds: float) -> tuple[float, float, float, int]:
    timings.sort()
    return (
        len(timings) / seconds,
        statistics.median(timings) * 1000,
        timings[int(len(timings) * 0.99) - 1] * 1000,
        errors,
    )


# Each request: a random member (session cookie), paper and direction; any status but 200
# counts as an error (a redirect to the login page would be one). done() prints one line.
WRK_SCRIPT = """
local sessions = {%(sessions)s}
local papers = {%(papers)s}
local threads, counter = {}, 1
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
function init(args)
  errors = 0
  math.randomseed(id * 7919)
end
function request()
  local headers = {
    ["Cookie"] = "sessionid=" .. sessions[math.random(#sessions)] .. "; csrftoken=%(csrf)s",
    ["X-CSRFToken"] = "%(csrf)s",
    ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Referer"] = "%(base)s/",
  }
  local path = "/papers/" .. papers[math.random(#papers)] .. "/vote"
  return wrk.format("POST", path, headers, "up=" .. math.random(0, 1))
end
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("errors") end
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, failed,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
"""


WARM_UP_SECONDS = 5


def _wrk(
    port: int, sessions: list[str], papers: list[str], args: argparse.Namespace, scratch: Path
) -> tuple[float, float, float, int]:
    base = f"http://127.0.0.1:{port}"
    script = scratch / "votes.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "sessions": ", ".join(f'"{session}"' for session in sessions),
            "papers": ", ".join(f'"{paper}"' for paper in papers),
            "csrf": secrets.token_hex(16),  # 32 characters: Django's unmasked secret form
            "base": base,
        }
    )
    command = ["wrk", "-t2", f"-c{args.clients}", f"-d{args.duration}s", "-s", str(script), base]
    # Not counted: the workers' first requests import and compile what a vote needs (the
    # first seconds of a run measured a quarter fewer votes per second).
    warm = [*command[:3], f"-d{WARM_UP_SECONDS}s", *command[4:]]
    subprocess.run(warm, check=True, capture_output=True)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, errors, duration_us, median_us, p99_us = map(int, line.split()[1:])
    return requests / (duration_us / 1e6), median_us / 1000, p99_us / 1000, errors


def _fixtures(env: dict[str, str], members: int, papers: int) -> tuple[list[str], list[str]]:
    """Members with logged-in sessions, and papers; made in a child so Django sees `env`."""
    code = f"""
import django, os
django.setup()
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from dailypapers.papers.models import Paper
for n in range({papers}):
    Paper.objects.create(arxiv_id=f"2508.{{n:05d}}", title=f"Paper {{n}}")
for n in range({members}):
    user = User.objects.create(username=f"member{{n}}")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print("session", session.session_key)
for paper in Paper.objects.all():
    print("paper", paper.arxiv_id)
"""
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(env, DJANGO_SETTINGS_MODULE="dailypapers.settings"),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    sessions = [line.split()[1] for line in output if line.startswith("session ")]
    paper_ids = [line.split()[1] for line in output if line.startswith("paper ")]
    return sessions, paper_ids


def _hammer(
    port: int, sessions: list[str], papers: list[str], args: argparse.Namespace
) -> tuple[list[float], int, float]:
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = args.requests // args.clients

    def client(number: int) -> None:
        nonlocal errors
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked secret form
        for _ in range(per_client):
            session = rng.choice(sessions)
            body = f"up={rng.choice('01')}"
            headers = {
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}/",
            }
            started = time.perf_counter()
            connection.request("POST", f"/papers/{rng.choice(papers)}/vote", body, headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                timings.append(elapsed)
                errors += response.status != 200
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - started


def _counts_true(env: dict[str, str]) -> bool:
    code = """
import django
django.setup()
from django.db.models import Count
from dailypapers.community.models import Vote
from dailypapers.papers.models import Paper
rows = dict(Vote.objects.values_list("paper").annotate(n=Count("id")))
wrong = [p.arxiv_id for p in Paper.objects.all() if p.local_upvotes != rows.get(p.id, 0)]
twice = Vote.objects.values("user", "paper").annotate(n=Count("id")).filter(n__gt=1).count()
print("votes", sum(rows.values()), "wrong", len(wrong), "twice", twice)
print("TRUE" if not wrong and not twice else "FALSE")
"""
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(env, DJANGO_SETTINGS_MODULE="dailypapers.settings"),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(output.strip().splitlines()[0], file=sys.stderr)
    return output.strip().endswith("TRUE")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int) -> None:
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    sys.exit(main())

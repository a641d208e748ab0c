"""The load run: the demo agency served by gunicorn (4 workers) on loopback, driven by locust (headless) with
the staff's mix of pages and writes (demo/bench/locustfile.py), then with the trivial signed-in floor page.

Both runs use the same users, without pause, so each measures what the server can do: the mix's requests per
second over the floor's is the cost of Kindred's real pages against the cheapest signed-in one.
"""

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from accounts.models import User
from demo.management.commands.seed_demo import STAFF

BASE_DIR = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
GUNICORN_WORKERS = 4
# One user per worker: every worker is always busy, and no request waits behind another in its queue.
USERS = GUNICORN_WORKERS
MIX_SECONDS = 40
FLOOR_SECONDS = 15
MIX = ["CaseworkerUser", "SupervisorUser", "ScreenerUser"]
FLOOR = ["FloorUser"]
SERVER_START_SECONDS = 60


@dataclass(frozen=True)
class Run:
    requests: int
    failures: int
    requests_per_second: float
    p95_ms: float


def _progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _sessions() -> str:
    """A signed-in session for each demo staff member, as locust's KINDRED_LOAD_SESSIONS ("username=key,...").

    Signing in hashes the password with argon2, slow on purpose: made here, before the run, it stays out of
    the figures. The server shares this process's SECRET_KEY, so it reads them as its own."""
    pairs = []
    for user in User.objects.filter(username__in=[row[0] for row in STAFF]):
        client = Client()
        client.force_login(user)
        pairs.append(f"{user.username}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    return ",".join(pairs)


def _serve(port: int) -> subprocess.Popen:
    """gunicorn on the bench's database, production settings over loopback HTTP (demo.bench.load_settings)."""
    site = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo.bench.load_settings",
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "SITE_URL": site,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(GUNICORN_WORKERS)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=sys.stderr, stderr=sys.stderr)  # noqa: S603
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{site}/sign-in/", timeout=2) as response:  # noqa: S310 - our loopback server
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.25)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer on {site} within {SERVER_START_SECONDS} s")


def _locust(host: str, users: list[str], seconds: int, folder: str, sessions: str) -> Run:
    """One headless locust run; its summary goes to standard error, its figures come from its CSV."""
    prefix = os.path.join(folder, users[0])
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", host]
    command += ["--users", str(USERS), "--spawn-rate", str(USERS), "--run-time", f"{seconds}s"]
    command += ["--csv", prefix, "--only-summary", "--loglevel", "WARNING", *users]
    # Exits 1 when a request failed: the failures are counted from the CSV, not raised.
    env = {**os.environ, "KINDRED_LOAD_SESSIONS": sessions}
    subprocess.run(command, cwd=BASE_DIR, env=env, stdout=sys.stderr, stderr=sys.stderr, check=False)  # noqa: S603
    with open(f"{prefix}_stats.csv", newline="") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return Run(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        requests_per_second=float(total["Requests/s"]),
        p95_ms=float(total["95%"]),
    )


def bench_load(*, scale: float) -> Iterable[tuple[str, float, str]]:
    """`scale` does not apply: the demo agency is one size, and the runs last a fixed time."""
    _progress("Loading the demo agency (seed_demo)...")
    with override_settings(DEBUG=True):  # seed_demo refuses to run with DEBUG off
        call_command("seed_demo", stdout=StringIO())
    sessions = _sessions()
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    _progress(f"Serving it with gunicorn ({GUNICORN_WORKERS} workers) on {host}...")
    server = _serve(port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            _progress(f"The staff's mix: {USERS} users for {MIX_SECONDS} s...")
            mix = _locust(host, MIX, MIX_SECONDS, folder, sessions)
            _progress(f"The floor page: {USERS} users for {FLOOR_SECONDS} s...")
            floor = _locust(host, FLOOR, FLOOR_SECONDS, folder, sessions)
    finally:
        server.terminate()
        server.wait(30)
    yield "load_requests_per_second", round(mix.requests_per_second, 1), "requests/s"
    yield "load_p95_ms", mix.p95_ms, "ms"
    yield "load_errors", mix.failures, f"of {mix.requests} requests"
    yield "load_floor_requests_per_second", round(floor.requests_per_second, 1), "requests/s"
    yield "load_vs_floor", round(mix.requests_per_second / floor.requests_per_second, 3), "ratio"


BENCHMARKS = [bench_load]

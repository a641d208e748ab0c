"""What the fault tests break for real: a Redis of their own to stop and start, and the test database's address
for a second connection (to lock a table, to end a backend) or a second process (a worker to kill, with
`worker_killed_waiting_on`)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.conftest import wait_for

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, on a free loopback port, without persistence: stopping it is the
    broker going down (and losing what it held), starting it again on the same port is the broker back."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        server = shutil.which("redis-server")
        assert server, "the fault tests run a redis-server of their own: apt-get install redis-server"
        command = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis():
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


@contextmanager
def celery_broker(url: str):
    """The Celery app publishing to (and its workers reading from) the broker at `url`, then back to the suite's."""
    from config.celery import app

    def point_at(broker_url: str) -> None:
        app.pool.force_close_all()
        app.conf.broker_url = broker_url
        # The connection pools were made for the previous broker: made again on next use.
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    point_at(url)
    try:
        yield app
    finally:
        point_at(previous)


def database_connection():
    """A second connection to the test database, as another client (an operator's psql) would open."""
    settings = connection.settings_dict
    second = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )
    second.autocommit = True
    return second


def database_url() -> str:
    """The test database's address, for a second process."""
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


# A worker process imports Django and connects: a moment, longer on a busy machine.
WORKER_START_SECONDS = 60


def lock_waiters(second) -> list[int]:
    """The backends of the test database waiting for a lock (`second`'s own excepted)."""
    with second.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def tables_written(second, pid: int) -> set[str]:
    """The tables the backend `pid` has written in its open transaction (it holds their ROW EXCLUSIVE lock)."""
    with second.cursor() as cursor:
        cursor.execute(
            "SELECT relation::regclass::text FROM pg_locks WHERE pid = %s AND locktype = 'relation' "
            "AND mode = 'RowExclusiveLock' AND granted",
            [pid],
        )
        return {name.strip('"') for (name,) in cursor.fetchall()}


def backend_gone(second, pid: int) -> bool:
    with second.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


def worker_process(broker_url: str) -> subprocess.Popen:
    """A real Celery worker process (solo pool) on the test database, reading from the broker at `broker_url`."""
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": broker_url}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def worker_killed_waiting_on(table: str, broker_url: str) -> set[str]:
    """Lock `table`, start a worker process, SIGKILL it once its job waits for that lock, release the lock, and
    wait until the job's backend has rolled back and gone. Returns the tables the job had written by then."""
    holder = database_connection()
    holder.autocommit = False
    with holder.cursor() as cursor:
        # SHARE ROW EXCLUSIVE lets others read the table and no one write to it.
        cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')  # noqa: S608
    watcher = database_connection()
    worker = worker_process(broker_url)
    try:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while not lock_waiters(watcher) and time.monotonic() < deadline:
            time.sleep(0.1)
        [job_backend] = lock_waiters(watcher)
        written = tables_written(watcher, job_backend)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
        holder.rollback()
        holder.close()
    # The killed worker's backend finds its client gone once the lock is released, and rolls back.
    wait_for(lambda: backend_gone(watcher, job_backend))
    watcher.close()
    return written

"""What the fault tests break for real: a Redis of their own to stop and start, and the test database's address
for a second connection (to lock a table, to end a backend) or a second process (a worker to kill)."""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import psycopg2
import pytest
from django.db import connection


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

"""Under pytest-xdist every worker has a Redis database of its own, and the settings read it."""

import os

import pytest
from django.conf import settings

from tests.per_worker import base_redis_url_key, worker_redis_url


def test_it_gives_worker_n_the_database_n_above_the_base():
    assert worker_redis_url("redis://127.0.0.1:6379/8", "gw0") == "redis://127.0.0.1:6379/8"
    assert worker_redis_url("redis://127.0.0.1:6379/8", "gw3") == "redis://127.0.0.1:6379/11"
    assert worker_redis_url("redis://:secret@cache:6380", "gw1") == "redis://:secret@cache:6380/1"


def test_it_refuses_a_database_past_redis_default_sixteen():
    with pytest.raises(pytest.UsageError, match="gw2 would use Redis database 16"):
        worker_redis_url("redis://127.0.0.1:6379/14", "gw2")


def test_the_settings_and_the_celery_broker_read_the_workers_database(pytestconfig):
    """Had the settings been imported before the worker's URL was set, they would hold the base one."""
    from config.celery import app

    base, worker = pytestconfig.stash[base_redis_url_key], os.environ.get("PYTEST_XDIST_WORKER")
    expected = worker_redis_url(base, worker) if worker and base else base
    assert expected == settings.REDIS_URL
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL

"""Each pytest-xdist worker its own Redis database, chosen before Django's settings read REDIS_URL.

Loaded with `-p tests.per_worker` (pyproject.toml), so this runs before any conftest: pytest-django
imports the settings in its own `pytest_load_initial_conftests`, ahead of every conftest file, and
the settings read REDIS_URL once, at import. The tests' Celery worker purges its queue first; two
xdist workers on one Redis database would purge, and take, each other's tasks.

Worker gwN gets database base + N, the base being REDIS_URL's (0 when it names none); a run without
xdist keeps REDIS_URL as it is. PostgreSQL needs nothing here: pytest-django already gives each
worker its own test database (test_<name>_gw0, test_<name>_gw1, ...).
"""

import os
import re
from urllib.parse import urlsplit, urlunsplit

import pytest

# Redis's default `databases 16`: 0 to 15.
REDIS_DATABASES = 16
# REDIS_URL as the run was started with, before a worker's database was put in.
base_redis_url_key = pytest.StashKey[str]()


def worker_redis_url(url: str, worker: str) -> str:
    """`url` with database base + N for xdist worker `gwN`."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    base = int(path) if path else 0
    number = int(re.fullmatch(r"gw(\d+)", worker).group(1))
    database = base + number
    if database >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"xdist worker {worker} would use Redis database {database}, past Redis's default 0-"
            f"{REDIS_DATABASES - 1}: point REDIS_URL at a lower database or run fewer workers (-n)."
        )
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("REDIS_URL", "")
    early_config.stash[base_redis_url_key] = url
    if worker and url:
        os.environ["REDIS_URL"] = worker_redis_url(url, worker)

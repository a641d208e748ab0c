"""Start-up refuses a malformed environment, naming the variable; production settings pass Django's deploy check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables the settings read; each run starts from none of them so the developer's shell cannot leak in.
SETTINGS_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "TIME_ZONE",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "REDIS_URL",
    "SESSION_IDLE_MINUTES",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_LOCKOUT_MINUTES",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER_ENABLED",
    "SECURE_HSTS_SECONDS",
    "SITE_URL",
    "DEBUG_TECHNICAL_404",
    # Set by the browser tests' conftest for Playwright's event loop; not part of a real deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]


def start(command: list[str], **env: str) -> subprocess.Popen:
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", PYTHONDONTWRITEBYTECODE="1", **env)
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


SETUP = ["-c", "import django; django.setup()"]
MALFORMED = [
    ("DEBUG", "maybe"),
    ("DATABASE_URL", "mysql://kindred@db/kindred"),
    ("REDIS_URL", "http://cache:6379/0"),
    ("TIME_ZONE", "Mars/Base"),
    ("SESSION_IDLE_MINUTES", "abc"),
    ("SITE_URL", "kindred.example.org/cases/"),
]


def deploy_environment() -> dict[str, str]:
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    user, password, host, port = database["USER"], database["PASSWORD"], database["HOST"], database["PORT"]
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "kindred.example.org",
        "SITE_URL": "https://kindred.example.org",
        "DATABASE_URL": f"postgres://{user}:{password}@{host}:{port}/{database['NAME']}",
    }


@pytest.fixture(scope="module")
def runs() -> dict:
    """Every start-up this module checks, run side by side: each is a fresh interpreter importing Django."""
    processes = {
        "no-secret-key": start(SETUP, DEBUG="0", ALLOWED_HOSTS="kindred.example.org"),
        "no-site-url": start(
            SETUP, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="kindred.example.org"
        ),
        "deploy": start(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **deploy_environment()),
        **{(variable, value): start(SETUP, **{variable: value}) for variable, value in MALFORMED},
    }
    return {name: finish(process) for name, process in processes.items()}


@pytest.mark.parametrize(("variable", "value"), MALFORMED)
def test_a_malformed_value_stops_start_up_naming_the_variable(runs, variable, value):
    result = runs[(variable, value)]
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.strip().splitlines()[-1]


def test_production_without_a_secret_key_does_not_start(runs):
    result = runs["no-secret-key"]
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_production_without_a_site_url_does_not_start(runs):
    """E-mailed links begin with SITE_URL: without it, no recipient could open them."""
    result = runs["no-site-url"]
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr.strip().splitlines()[-1]


def test_production_settings_pass_the_deploy_check(runs):
    result = runs["deploy"]
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout

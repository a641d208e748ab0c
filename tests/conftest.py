"""The shared cast: two units, each with a supervisor and a worker, and one of every other role."""

import time
from dataclasses import dataclass

import pytest

from accounts import services
from accounts.models import Unit, User
from accounts.roles import Role
from tests.factories import approving_administrator, make_staff, make_unit, restore_role_groups, root_administrator


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are about hashing restore it themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    administrator: User
    auditor: User
    program_manager: User
    screener: User
    unit: Unit
    supervisor: User
    worker: User
    other_unit: Unit
    other_supervisor: User
    other_worker: User

    def by_role(self) -> dict[str, User]:
        """One user per role name used in the permission matrix."""
        return {
            "intake_screener": self.screener,
            "caseworker": self.worker,
            "supervisor": self.supervisor,
            "program_manager": self.program_manager,
            "administrator": self.administrator,
            "auditor": self.auditor,
        }


@pytest.fixture
def cast(db) -> Cast:
    restore_role_groups()
    administrator = root_administrator()
    unit, other_unit = make_unit("North Unit"), make_unit("South Unit")
    supervisor = make_staff("supervisor", Role.SUPERVISOR, unit=unit, clearance_sensitive=True)
    other_supervisor = make_staff("other-supervisor", Role.SUPERVISOR, unit=other_unit)
    approver = approving_administrator()
    services.unit_update(actor=administrator, unit=unit, name=unit.name, supervisor=supervisor, approved_by=approver)
    services.unit_update(
        actor=administrator, unit=other_unit, name=other_unit.name, supervisor=other_supervisor, approved_by=approver
    )
    unit.refresh_from_db()
    other_unit.refresh_from_db()
    return Cast(
        administrator=administrator,
        auditor=make_staff("auditor", Role.AUDITOR),
        program_manager=make_staff("manager", Role.PROGRAM_MANAGER),
        screener=make_staff("screener", Role.INTAKE_SCREENER, unit=unit, clearance_sensitive=True),
        unit=unit,
        supervisor=supervisor,
        worker=make_staff("worker", Role.CASEWORKER, unit=unit),
        other_unit=other_unit,
        other_supervisor=other_supervisor,
        other_worker=make_staff("other-worker", Role.CASEWORKER, unit=other_unit),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user."""

    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_for():
    from rest_framework.test import APIClient

    def sign_in(user: User):
        api = APIClient()
        api.force_login(user)
        return api

    return sign_in


@pytest.fixture
def role_groups(transactional_db) -> None:
    restore_role_groups()


@pytest.fixture
def celery_worker():
    """celery_worker() -> a real worker on the real broker (Redis), in this process, as a context manager.

    Queued leftovers of earlier tests are purged first. The worker reads the database over its own
    connection, so a test that uses it needs committed data: `django_db(transaction=True)`.
    """
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    assert app.conf.broker_url.startswith("redis://"), "make test runs the broker on Redis"
    app.control.purge()
    return lambda: start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10)


def wait_for(condition, seconds: float = 20) -> None:
    """Until condition() holds (what a worker does takes a moment), for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)

"""The shared cast: two units, each with a supervisor and a worker, and one of every other role."""

import time
from collections.abc import Iterator
from dataclasses import dataclass, fields

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django.fixtures import validate_django_db

from accounts import services
from accounts.models import Unit, User
from accounts.roles import Role
from tests.factories import approving_administrator, make_staff, make_unit, restore_role_groups, root_administrator

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are about hashing restore it themselves."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


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


def make_cast() -> Cast:
    """The cast, made through the real services."""
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


def database_use(item: pytest.Item) -> str | None:
    """How a test uses the database, as pytest-django decides it: "commits", "rolls back" or None (not at all)."""
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    transaction_marked = bool(marker) and any(validate_django_db(marker)[:2])
    if transaction_marked or names & {"transactional_db", "live_server", "django_db_reset_sequences"}:
        return "commits"
    if marker or "db" in names:
        return "rolls back"
    return None


class SharedCast:
    """The cast of the tests that run in a rolled-back transaction (nearly all), made once per test database.

    As Django's TestCase.setUpTestData does it: the cast is made in an outer transaction that stays open;
    each test's own transaction nests in it as a savepoint and is rolled back, so every test starts from
    the same cast, and none pays for making it. Before a test that commits (transactional_db, live_server)
    or one that does not ask for the cast, the outer transaction is rolled back: those start from an
    empty database, as before; the next test that asks for the cast makes it again.
    """

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.outer: transaction.Atomic | None = None
        self.ids: dict[str, tuple[type, int]] = {}

    def open(self) -> None:
        if self.outer is not None:
            return
        with self.blocker.unblock():
            self.outer = transaction.atomic()
            self.outer.__enter__()
            with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
                made = make_cast()
        members = {field.name: getattr(made, field.name) for field in fields(Cast)}
        self.ids = {name: (type(member), member.pk) for name, member in members.items()}

    def close(self) -> None:
        if self.outer is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.outer.__exit__(None, None, None)
        self.outer = None

    def load(self) -> Cast:
        """Fresh instances, so nothing a test did to its objects reaches the next test."""
        found = {
            model: model.objects.in_bulk([pk for kind, pk in self.ids.values() if kind is model])
            for model in {kind for kind, _ in self.ids.values()}
        }
        return Cast(**{name: found[kind][pk] for name, (kind, pk) in self.ids.items()})


shared_cast_key = pytest.StashKey[SharedCast]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, pytestconfig) -> Iterator[None]:
    """pytest-django's test database, and the shared cast's outer transaction on it."""
    shared = pytestconfig.stash[shared_cast_key] = SharedCast(django_db_blocker)
    yield
    shared.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the test's fixtures: the shared cast open for a rolled-back test that asks for it, closed
    for any other test that touches the database. (The first test of a run comes before the database.)"""
    shared = item.config.stash.get(shared_cast_key, None)
    use = database_use(item)
    if shared is None or use is None:
        return
    if use == "rolls back" and "cast" in item.fixturenames:
        shared.open()
    else:
        shared.close()


@pytest.fixture
def cast(request, db) -> Cast:
    """The shared cast for a test in a rolled-back transaction; a cast of its own for a test that commits."""
    shared = request.config.stash.get(shared_cast_key, None)
    if shared is not None and shared.outer is not None:
        return shared.load()
    return make_cast()


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

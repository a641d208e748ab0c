"""Benchmarks of the accounts app, run by `manage.py bench` in a throwaway database.

Each callable takes `scale` (1.0 is the reference size) and yields (figure, value, unit).
"""

import statistics
import time
from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from faker import Faker

from accounts import selectors
from accounts.audit import log_action
from accounts.models import Unit, User
from accounts.roles import Role

STAFF_AT_SCALE_1 = 2000
STAFF_PER_UNIT = 25
SEARCH_WORD = "son"  # part of many surnames (Johnson, Anderson, ...): a realistic partial-name search
RUNS = 20
WARM_UP_RUNS = 3
AUDIT_WRITES_AT_SCALE_1 = 500

# A realistic mix: mostly caseworkers; every tenth account deactivated. Units only for unit roles.
ROLE_CYCLE = [
    Role.CASEWORKER,
    Role.CASEWORKER,
    Role.CASEWORKER,
    Role.CASEWORKER,
    Role.CASEWORKER,
    Role.CASEWORKER,
    Role.SUPERVISOR,
    Role.INTAKE_SCREENER,
    Role.PROGRAM_MANAGER,
    Role.AUDITOR,
]
UNIT_ROLES = {Role.CASEWORKER, Role.SUPERVISOR}


def _ms(seconds: float) -> float:
    return seconds * 1000


def _administrator(username: str) -> User:
    """An active administrator who need not change a password (the benchmarks sign in with force_login)."""
    user = User.objects.create(
        username=username,
        first_name="Bench",
        last_name="Administrator",
        password=make_password(None),
        must_change_password=False,
    )
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.group_name))
    return user


def _create_staff(count: int) -> None:
    """`count` staff in bulk: units with their groups, users, and role + unit group memberships."""
    fake = Faker("en_US")
    fake.seed_instance(2026)
    role_groups = {role: Group.objects.get(name=role.group_name) for role in Role}
    unit_count = max(1, count // STAFF_PER_UNIT)
    unit_groups = Group.objects.bulk_create([Group(name=f"Unit: Bench unit {index}") for index in range(unit_count)])
    units = Unit.objects.bulk_create(
        [Unit(name=f"Bench unit {index}", group=group) for index, group in enumerate(unit_groups)]
    )
    unusable = make_password(None)  # one unusable hash for all: no password hashing in the set-up
    users = []
    for index in range(count):
        first, last = fake.first_name(), fake.last_name()
        role = ROLE_CYCLE[index % len(ROLE_CYCLE)]
        username = f"{first}.{last}.{index}".lower()
        users.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                password=unusable,
                unit=units[index % unit_count] if role in UNIT_ROLES else None,
                is_active=index % 10 != 9,
            )
        )
    users = User.objects.bulk_create(users, batch_size=1000)
    Membership = User.groups.through
    memberships = []
    for index, user in enumerate(users):
        role = ROLE_CYCLE[index % len(ROLE_CYCLE)]
        memberships.append(Membership(user_id=user.pk, group_id=role_groups[role].pk))
        if user.unit_id:
            memberships.append(Membership(user_id=user.pk, group_id=user.unit.group_id))
    Membership.objects.bulk_create(memberships, batch_size=2000)


def count_queries(action) -> int:
    """Queries one call runs. An execute wrapper, because every request resets `connection.queries`."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        action()
    return count


def _median_ms(action, runs: int = RUNS) -> float:
    for _ in range(WARM_UP_RUNS):
        action()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return _ms(statistics.median(timings))


def bench_staff_list(*, scale: float) -> Iterable[tuple[str, float, str]]:
    """The staff page searched for a partial surname, as an administrator, among scale * 2000 staff."""
    count = max(1, round(STAFF_AT_SCALE_1 * scale))
    administrator = _administrator("bench-staff-admin")
    _create_staff(count)

    client = Client()
    client.force_login(administrator)
    url = f"{reverse('staff_list')}?q={SEARCH_WORD}"

    def request_page():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}, expected 200")
        if b"No staff match." in response.content:
            raise AssertionError(f"GET {url} found nobody; the benchmark would measure an empty page")

    def search():
        members = selectors.staff_search(user=administrator, q=SEARCH_WORD)
        page = Paginator(members, 50).get_page(1)
        for member in page:
            _ = member.role_labels, member.unit.name if member.unit_id else None

    queries = count_queries(request_page)
    yield "staff_list_median_ms", _median_ms(request_page), "ms"
    yield "staff_list_queries", queries, "queries"
    yield "staff_search_median_ms", _median_ms(search), "ms"


def bench_audit_write(*, scale: float) -> Iterable[tuple[str, float, str]]:
    """One audit row written by `log_action`, inside a transaction as the services do (commit not timed)."""
    writes = max(10, round(AUDIT_WRITES_AT_SCALE_1 * scale))
    actor = _administrator("bench-audit-admin")
    changes = {"first_name": {"old": "Ana", "new": "Anna"}, "roles": {"old": ["Caseworker"], "new": ["Supervisor"]}}
    timings = []
    for _ in range(writes):
        with transaction.atomic():
            started = time.perf_counter()
            log_action(actor=actor, action="accounts.user.updated", target=actor, changes=changes, reason="Benchmark")
            timings.append(time.perf_counter() - started)
    yield "audit_write_median_ms", _ms(statistics.median(timings)), "ms"


def bench_page_floor(*, scale: float) -> Iterable[tuple[str, float, str]]:
    """A signed-in page that runs one indexed query, through the whole middleware stack: what any page
    costs before its own work. Timed as the supervisor dashboard is (the test client, 3 warm-up requests,
    the median of 20), so a page's figure reads as a multiple of this one from the same run.
    The page is served from a bench-only URLconf (demo/bench/floor.py); `scale` changes nothing here."""
    user = _administrator("bench-floor-user")
    client = Client()
    client.force_login(user)
    with override_settings(ROOT_URLCONF="demo.bench.floor"):
        url = reverse("bench_page_floor")

        def request_page():
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise AssertionError(f"GET {url} answered {response.status_code}, expected 200")
            if user.username.encode() not in response.content:
                raise AssertionError(f"GET {url} did not run its query; the benchmark would measure less than a page")

        queries = count_queries(request_page)
        median = _median_ms(request_page)
    yield "page_floor_median_ms", median, "ms"
    yield "page_floor_queries", queries, "queries"


BENCHMARKS = [bench_staff_list, bench_audit_write, bench_page_floor]

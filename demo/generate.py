"""Generated casework at scale, for the benchmarks: `generate(scale=1.0)`.

At scale 1.0: 250,000 open cases in units of 8 workers with 25 cases each, 1,000,000 members
who must be seen (children, parents, caregivers) and about 10% more who are excused, one
person each, a primary assignment per case, and 5,000,000 contacts with the people seen.
Everything is loaded by INSERT ... SELECT over generate_series inside PostgreSQL (no row
crosses the wire), then every member's visit-rule state is set in one UPDATE from the
latest face-to-face visit, exactly as `cases.visit_rule` defines it.

Each case is visited on a rhythm of its own: a contact every 2 to 4 days, every third one
face to face, the latest face-to-face visit between 0 and 45 days ago (most within 20), and
each member seen at a visit with probability 0.85, so members come out visited, due soon
and overdue in proportions like a real agency's. Progress goes to standard error.
"""

import json
import math
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Unit, User
from accounts.roles import Role
from cases import visit_rule
from cases.choices import AssignmentRole, CaseOpenedFor, CaseStatus, ContactLocation, ContactType, MemberRole
from cases.models import Case, CaseAssignment, CaseMember, Contact
from families.models import Person

CASES_AT_SCALE_1 = 250_000
MUST_BE_SEEN_AT_SCALE_1 = 1_000_000
CONTACTS_AT_SCALE_1 = 5_000_000
CASES_PER_WORKER = 25
WORKERS_PER_UNIT = 8
EXCUSED_SHARE = 0.10
SEEN_AT_A_VISIT = 0.85
LATE_JOINER_SHARE = 0.08
CONTACT_BATCH = 1_000_000
SEED = 0.2026
# Index builds sort in memory up to this much (the server default, 64 MB, spills to disk at scale 1).
INDEX_BUILD_MEMORY = "1GB"

FIRST_NAMES = [
    "Ava", "Liam", "Mia", "Noah", "Sofia", "Elijah", "Aria", "Mateo", "Maya", "Lucas", "Zoe", "Caleb",
    "Layla", "Isaiah", "Nora", "Jayden", "Grace", "Diego", "Hazel", "Malik",
]  # fmt: skip
SURNAMES = [
    "Garcia", "Smith", "Johnson", "Nguyen", "Williams", "Brown", "Martinez", "Davis", "Lopez", "Wilson",
    "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Torres", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
]  # fmt: skip
NARRATIVES = [
    "Home visit. Children present and appropriately dressed; the home was clean and had food.",
    "Met the family at home; discussed the service plan and upcoming appointments.",
    "Saw the child at school; the teacher reports improved attendance.",
    "Phone call with the parent about the parenting class schedule.",
    "Left a message; no answer at the door or by phone.",
    "Letter sent with the date of the next family team meeting.",
]


@dataclass(frozen=True)
class Generated:
    cases: int
    members: int
    must_be_seen: int
    contacts: int
    people_seen: int
    workers: int
    unit_ids: list[int]
    statuses: dict[str, int]
    seconds: float


def _progress(message: str) -> None:
    print(f"  [generate] {message}", file=sys.stderr, flush=True)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _execute(sql: str, params: dict | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.rowcount


def _reserve(model: type[models.Model], count: int) -> int:
    """The first of `count` consecutive primary keys taken from the table's sequence, so rows can be linked."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [model._meta.db_table, first + count - 1])
    return first


def _insert(model: type[models.Model], columns: dict[str, str], source: str, params: dict) -> int:
    """INSERT INTO the model's table SELECT ... FROM `source`.

    `columns` maps field attnames to SQL expressions over `source`; every other field takes
    its model default, as a typed constant. A unique field must be given an expression.
    """
    names, expressions, defaults = [], [], {}
    for field in model._meta.concrete_fields:
        if field.attname in columns:
            expression = columns[field.attname]
        elif field.primary_key:
            continue
        elif field.unique:
            raise ValueError(f"{model.__name__}.{field.name} is unique: give it an expression")
        else:
            key = f"default_{field.column}"
            value = field.get_default()
            defaults[key] = (
                json.dumps(value) if isinstance(field, models.JSONField) else field.get_db_prep_save(value, connection)
            )
            expression = f"%({key})s::{field.db_type(connection)}"
        names.append(connection.ops.quote_name(field.column))
        expressions.append(expression)
    sql = f"INSERT INTO {_table(model)} ({', '.join(names)}) SELECT {', '.join(expressions)} FROM {source}"  # noqa: S608
    return _execute(sql, {**params, **defaults})


def _local_date(column: str) -> str:
    """SQL for the agency's local date of a timestamptz column, as visit_rule.local_day computes it."""
    return f"(({column}) AT TIME ZONE %(tz)s)::date"


def generate(*, scale: float) -> Generated:
    """Load scale * (250,000 open cases, 1,000,000 members who must be seen, 5,000,000 contacts) into PostgreSQL."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The generator loads PostgreSQL only (it uses generate_series and sequences).")
    started = time.perf_counter()
    cases = max(1, round(CASES_AT_SCALE_1 * scale))
    must_be_seen = max(2 * cases, round(MUST_BE_SEEN_AT_SCALE_1 * scale))
    excused = round(must_be_seen * EXCUSED_SHARE / (1 - EXCUSED_SHARE))
    members = must_be_seen + excused
    contacts = max(cases, round(CONTACTS_AT_SCALE_1 * scale))
    workers = math.ceil(cases / CASES_PER_WORKER)
    units = math.ceil(workers / WORKERS_PER_UNIT)
    _progress(
        f"scale {scale}: {cases} cases, {members} members ({excused} excused), {contacts} contacts, "
        f"{workers} workers in {units} units"
    )
    params = {
        "cases": cases,
        "members": members,
        "must_be_seen_pairs": 2 * cases,
        "excused_end": 2 * cases + excused,
        "contacts": contacts,
        "workers": workers,
        "units": units,
        "workers_per_unit": WORKERS_PER_UNIT,
        "tz": settings.TIME_ZONE,
        "interval_days": visit_rule.interval().days,
        "first_names": FIRST_NAMES,
        "surnames": SURNAMES,
        "narratives": NARRATIVES,
        "opened_for": list(CaseOpenedFor.values),
        "seen": SEEN_AT_A_VISIT,
        "late_share": LATE_JOINER_SHARE,
        "password": make_password(None),
        "caseworker_group": Group.objects.get(name=Role.CASEWORKER.group_name).pk,
        "supervisor_group": Group.objects.get(name=Role.SUPERVISOR.group_name).pk,
        **{f"role_{role.value}": role.value for role in MemberRole},
        **{f"contact_{kind.value}": kind.value for kind in ContactType},
        **{f"location_{place.value}": place.value for place in ContactLocation},
        "primary": AssignmentRole.PRIMARY.value,
        "open": CaseStatus.OPEN.value,
        "closed": CaseStatus.CLOSED.value,
    }
    params |= {
        "group0": _reserve(Group, units),
        "unit0": _reserve(Unit, units),
        "user0": _reserve(User, units + workers),
        "case0": _reserve(Case, cases),
        "person0": _reserve(Person, members),
        "member0": _reserve(CaseMember, members),
        "contact0": _reserve(Contact, contacts),
    }
    params["worker0"] = params["user0"] + units
    _execute("SELECT setseed(%(seed)s)", {"seed": SEED})

    _staff(params)
    _progress(f"{units} units, {units + workers} staff ({time.perf_counter() - started:.1f} s)")
    through = Contact.people_seen.through
    with _without_indexes([Case, CaseAssignment, Person, CaseMember, Contact, through], started):
        _cases(params)
        _progress(f"{cases} cases with their primary workers ({time.perf_counter() - started:.1f} s)")
        _members(params)
        _progress(f"{members} people and case members ({time.perf_counter() - started:.1f} s)")
        people_seen = _contacts(params, started)
        _progress(f"{contacts} contacts, {people_seen} people seen ({time.perf_counter() - started:.1f} s)")
        _visit_state(params)
        _progress(f"visit-rule state of every member set ({time.perf_counter() - started:.1f} s)")
    _execute("DROP TABLE gen_case, gen_member")
    tables = [Group, Unit, User, User.groups.through, Case, CaseAssignment, Person, CaseMember, Contact]
    for model in [*tables, Contact.people_seen.through]:
        _execute(f"VACUUM ANALYZE {_table(model)}")
    statuses = dict(
        CaseMember.objects.filter(pk__gte=params["member0"], pk__lt=params["member0"] + members)
        .annotate(visit_status=visit_rule.status_expression(timezone.localdate()))
        .values_list("visit_status")
        .annotate(count=models.Count("id"))
        .order_by()
    )
    seconds = time.perf_counter() - started
    _progress(f"vacuumed and analyzed; members by status {statuses}; {seconds:.1f} s in all")
    return Generated(
        cases=cases,
        members=members,
        must_be_seen=must_be_seen,
        contacts=contacts,
        people_seen=people_seen,
        workers=workers,
        unit_ids=list(range(params["unit0"], params["unit0"] + units)),
        statuses=statuses,
        seconds=seconds,
    )


@contextmanager
def _without_indexes(tables: list[type[models.Model]], started: float) -> Iterator[None]:
    """Load the tables without their secondary indexes, unique and foreign-key constraints, then put them back.

    PostgreSQL's advice for populating a database: building an index once over the loaded
    rows, and checking a foreign key with one join, is many times faster than maintaining
    them row by row. Primary keys stay. The definitions are read from the catalog and
    restored as they were, also when the load fails.
    """
    names = [model._meta.db_table for model in tables]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f') ORDER BY contype DESC",
            [names],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index AS i "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))",
            [names],
        )
        indexes = cursor.fetchall()
        for table, name, _ in reversed(constraints):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for index, _ in indexes:
            cursor.execute(f"DROP INDEX {index}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [INDEX_BUILD_MEMORY])
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in constraints:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
            cursor.execute("RESET maintenance_work_mem")
        _progress(
            f"{len(indexes)} indexes and {len(constraints)} constraints rebuilt ({time.perf_counter() - started:.1f} s)"
        )


def _staff(params: dict) -> None:
    """Units, each with its supervisor and 8 caseworkers, their role and unit groups."""
    with transaction.atomic():  # units and their staff point at each other; the deferred keys check at commit
        _execute(
            "INSERT INTO auth_group (id, name) SELECT %(group0)s + i, 'Unit: Generated unit ' || (%(group0)s + i) "
            "FROM generate_series(0, %(units)s - 1) AS i",
            params,
        )
        _insert(
            Unit,
            {
                "id": "%(unit0)s + i",
                "public_id": "gen_random_uuid()",
                "name": "'Generated unit ' || (%(group0)s + i)",
                "supervisor_id": "%(user0)s + i",
                "group_id": "%(group0)s + i",
            },
            "generate_series(0, %(units)s - 1) AS i",
            params,
        )
        staff = (
            "(SELECT i, %(user0)s + i AS id, CASE WHEN i < %(units)s THEN 'supervisor' ELSE 'worker' END AS kind, "
            "%(unit0)s + CASE WHEN i < %(units)s THEN i ELSE (i - %(units)s) / %(workers_per_unit)s END AS unit_id "
            "FROM generate_series(0, %(units)s + %(workers)s - 1) AS i) AS staff"
        )
        _insert(
            User,
            {
                "id": "staff.id",
                "public_id": "gen_random_uuid()",
                "username": "'gen-' || staff.kind || '-' || staff.id",
                "password": "%(password)s",
                "first_name": "(%(first_names)s::text[])[1 + mod(staff.i, 20)]",
                "last_name": "(%(surnames)s::text[])[1 + mod(staff.i / 20, 40)]",
                "email": "'gen-' || staff.kind || '-' || staff.id || '@example.org'",
                "unit_id": "staff.unit_id",
            },
            staff,
            params,
        )
        _execute(
            f"INSERT INTO {_table(User.groups.through)} (user_id, group_id) "  # noqa: S608
            f"SELECT staff.id, role_and_unit.group_id FROM {staff}, LATERAL (VALUES "
            "(CASE staff.kind WHEN 'supervisor' THEN %(supervisor_group)s ELSE %(caseworker_group)s END), "
            "(%(group0)s + staff.unit_id - %(unit0)s)) AS role_and_unit (group_id)",
            params,
        )


def _cases(params: dict) -> None:
    """Open cases, opened 150 days to 3 years ago, round-robin over the workers; each case's visit rhythm."""
    _execute(
        "CREATE TEMP TABLE gen_case AS SELECT j, %(case0)s + j AS case_id, "
        "%(worker0)s + mod(j, %(workers)s) AS worker_id, "
        "%(user0)s + mod(j, %(workers)s) / %(workers_per_unit)s AS supervisor_id, "
        "%(unit0)s + mod(j, %(workers)s) / %(workers_per_unit)s AS unit_id, "
        "(%(surnames)s::text[])[1 + mod(j, 40)] AS surname, "
        "now() - make_interval(days => 150 + floor(r1 * 900)::int, hours => floor(r2 * 24)::int) AS opened_at, "
        # Days since the family's latest face-to-face visit: mostly recent, some near the limit, some past it.
        "CASE WHEN r2 < 0.70 THEN r3 * 20 WHEN r2 < 0.85 THEN 20 + r3 * 7 ELSE 27 + r3 * 18 END AS lag_days, "
        "2 + r1 * 2 AS gap_days "
        "FROM (SELECT j, random() AS r1, random() AS r2, random() AS r3 "
        "FROM generate_series(0, %(cases)s - 1) AS j) AS draws",
        params,
    )
    _execute("ALTER TABLE gen_case ADD PRIMARY KEY (j)")
    _insert(
        Case,
        {
            "id": "gen_case.case_id",
            "public_id": "gen_random_uuid()",
            "family_name": "gen_case.surname || ' family'",
            "status": "%(open)s",
            "opened_for": "(%(opened_for)s::text[])[1 + mod(gen_case.j, 4)]",
            "opened_at": "gen_case.opened_at",
            "opened_by_id": "gen_case.supervisor_id",
            "unit_id": "gen_case.unit_id",
        },
        "gen_case",
        params,
    )
    _insert(
        CaseAssignment,
        {
            "case_id": "gen_case.case_id",
            "worker_id": "gen_case.worker_id",
            "role": "%(primary)s",
            "started_at": "gen_case.opened_at",
            "assigned_by_id": "gen_case.supervisor_id",
        },
        "gen_case",
        params,
    )


def _members(params: dict) -> None:
    """Every case gets a parent and a child; the rest join cases at random, the first of them excused parents.

    A case's members get consecutive ids and are stored together, as opening a case creates them.
    """
    _execute(
        "CREATE TEMP TABLE gen_member AS SELECT draws.*, "
        "%(member0)s + row_number() OVER (ORDER BY j, i) - 1 AS member_id, "
        "%(person0)s + row_number() OVER (ORDER BY j, i) - 1 AS person_id "
        "FROM (SELECT i, "
        "CASE WHEN i < %(cases)s THEN i WHEN i < %(must_be_seen_pairs)s THEN i - %(cases)s "
        "ELSE floor(r1 * %(cases)s)::int END AS j, "
        "CASE WHEN i < %(cases)s THEN %(role_parent)s WHEN i < %(must_be_seen_pairs)s THEN %(role_child)s "
        "WHEN i < %(excused_end)s THEN %(role_parent)s WHEN r2 < 0.60 THEN %(role_child)s "
        "WHEN r2 < 0.85 THEN %(role_parent)s ELSE %(role_caregiver)s END AS role, "
        "NOT (i >= %(must_be_seen_pairs)s AND i < %(excused_end)s) AS must_be_seen, "
        "i >= %(excused_end)s AND r3 < %(late_share)s AS joined_late, r3 AS r "
        "FROM (SELECT i, random() AS r1, random() AS r2, random() AS r3 "
        "FROM generate_series(0, %(members)s - 1) AS i) AS randoms) AS draws",
        params,
    )
    # The case's guaranteed parent (member i = j) is who a phone or video call is with.
    _execute("ALTER TABLE gen_case ADD COLUMN parent_person_id bigint")
    _execute(
        "UPDATE gen_case SET parent_person_id = gen_member.person_id FROM gen_member WHERE gen_member.i = gen_case.j"
    )
    source = (
        "(SELECT gen_member.*, gen_case.case_id, gen_case.supervisor_id, gen_case.surname, "  # noqa: S608
        f"{_local_date('gen_case.opened_at')} AS opened_on FROM gen_member JOIN gen_case USING (j) "
        "ORDER BY gen_member.member_id) AS m"
    )
    _insert(
        Person,
        {
            "id": "m.person_id",
            "public_id": "gen_random_uuid()",
            "first_name": "(%(first_names)s::text[])[1 + mod(m.i, 20)]",
            "last_name": "m.surname",
            "birth_date": "current_date - (CASE WHEN m.role = %(role_child)s THEN 200 + floor(m.r * 6000) "
            "ELSE 7500 + floor(m.r * 12000) END)::int",
            "sex": "CASE WHEN mod(m.i, 2) = 0 THEN 'female' ELSE 'male' END",
            "created_by_id": "m.supervisor_id",
            # Members of the generated (unrestricted) cases.
            "access_restriction": "'none'",
            "on_records": "true",
        },
        source,
        params,
    )
    _insert(
        CaseMember,
        {
            "id": "m.member_id",
            "public_id": "gen_random_uuid()",
            "case_id": "m.case_id",
            "person_id": "m.person_id",
            "role": "m.role",
            # A late joiner came to the case in the last 45 days; whoever else, on the day it opened.
            "started_on": f"CASE WHEN m.joined_late THEN greatest(m.opened_on, {_local_date('now()')} "
            "- floor(m.r * 45 / %(late_share)s)::int) ELSE m.opened_on END",
            "must_be_seen": "m.must_be_seen",
            "excused_reason": "CASE WHEN m.must_be_seen THEN '' ELSE 'Whereabouts unknown' END",
            "diligent_search_note": "CASE WHEN m.must_be_seen THEN '' "
            "ELSE 'Searched the jail roster, DMV and last known address' END",
            "in_care_since": "CASE WHEN m.role = %(role_child)s AND mod(m.i, 10) < 3 THEN m.opened_on END",
        },
        source,
        params,
    )


def _contacts(params: dict, started: float) -> int:
    """Every case's contacts, newest first on its rhythm; then who was seen at each. Returns the people-seen rows."""
    through = Contact.people_seen.through
    people_seen = 0
    for first in range(0, params["contacts"], CONTACT_BATCH):
        batch = {**params, "first": first, "last": min(first + CONTACT_BATCH, params["contacts"]) - 1}
        source = (
            "(SELECT k, k / %(cases)s AS n, gen_case.*, now() - make_interval(secs => "
            "(gen_case.lag_days + (k / %(cases)s) * gen_case.gap_days) * 86400) AS at "
            "FROM generate_series(%(first)s, %(last)s) AS k JOIN gen_case ON gen_case.j = mod(k, %(cases)s)) AS c"
        )
        face_to_face = "mod(c.n, 3) = 0"
        _insert(
            Contact,
            {
                "id": "%(contact0)s + c.k",
                "public_id": "gen_random_uuid()",
                "case_id": "c.case_id",
                "occurred_at": "c.at",
                "contact_type": f"CASE WHEN {face_to_face} THEN %(contact_face_to_face)s "
                "WHEN mod(c.n, 3) = 1 THEN %(contact_phone)s WHEN mod(c.k, 7) = 0 THEN %(contact_attempted)s "
                "WHEN mod(c.k, 5) = 0 THEN %(contact_video)s ELSE %(contact_written)s END",
                "location": f"CASE WHEN {face_to_face} AND mod(c.k, 10) < 7 THEN %(location_residence)s "
                f"WHEN {face_to_face} AND mod(c.k, 10) < 9 THEN %(location_school)s ELSE %(location_office)s END",
                "seen_privately": f"{face_to_face} AND mod(c.k, 2) = 0",
                "narrative": f"(%(narratives)s::text[])[CASE WHEN {face_to_face} THEN 1 + mod(c.k, 3) "
                "WHEN mod(c.n, 3) = 1 THEN 4 WHEN mod(c.k, 7) = 0 THEN 5 ELSE 6 END]",
                "recorded_by_id": "c.worker_id",
                "recorded_at": "least(now(), c.at + interval '2 hours')",
            },
            source,
            batch,
        )
        # At a visit, each member who must be seen and was on the case that day is seen with
        # probability 0.85; a phone or video call is with the case's first parent.
        people_seen += _execute(
            f"INSERT INTO {_table(through)} (contact_id, person_id) "  # noqa: S608
            f"SELECT contact.id, member.person_id FROM {_table(Contact)} AS contact "
            f"JOIN {_table(CaseMember)} AS member ON member.case_id = contact.case_id "
            "WHERE contact.id BETWEEN %(contact0)s + %(first)s AND %(contact0)s + %(last)s "
            "AND contact.contact_type = %(contact_face_to_face)s AND member.must_be_seen "
            f"AND member.started_on <= {_local_date('contact.occurred_at')} AND random() < %(seen)s "
            "UNION ALL "
            "SELECT contact.id, gen_case.parent_person_id "
            f"FROM {_table(Contact)} AS contact JOIN gen_case ON gen_case.case_id = contact.case_id "
            "WHERE contact.id BETWEEN %(contact0)s + %(first)s AND %(contact0)s + %(last)s "
            "AND contact.contact_type IN (%(contact_phone)s, %(contact_video)s)",
            batch,
        )
        _progress(f"  contacts {batch['last'] + 1} of {params['contacts']} ({time.perf_counter() - started:.1f} s)")
    return people_seen


def _visit_state(params: dict) -> None:
    """Each generated member's last face-to-face visit, due date and whether the rule applies, in one UPDATE.

    The same definition as visit_rule.due_date and visit_rule.requires_visit: the interval after
    the latest of the case's (re)opening, the member's start and their last visit, in local dates.
    """
    through = Contact.people_seen.through
    _execute(
        f"UPDATE {_table(CaseMember)} AS member SET last_face_to_face_at = latest.at, "  # noqa: S608
        f"face_to_face_due = greatest({_local_date('coalesce(c.reopened_at, c.opened_at)')}, "
        f"member.started_on, {_local_date('latest.at')}) + %(interval_days)s, "
        "requires_visit = member.must_be_seen AND member.ended_on IS NULL AND c.status <> %(closed)s "
        f"FROM {_table(Case)} AS c, (SELECT m.id, visits.at FROM {_table(CaseMember)} AS m LEFT JOIN ("
        f"SELECT contact.case_id, seen.person_id, max(contact.occurred_at) AS at FROM {_table(Contact)} AS contact "
        f"JOIN {_table(through)} AS seen ON seen.contact_id = contact.id "
        "WHERE contact.contact_type = %(contact_face_to_face)s "
        "AND contact.case_id BETWEEN %(case0)s AND %(case0)s + %(cases)s - 1 GROUP BY 1, 2"
        ") AS visits ON visits.case_id = m.case_id AND visits.person_id = m.person_id "
        "WHERE m.id BETWEEN %(member0)s AND %(member0)s + %(members)s - 1) AS latest "
        "WHERE member.id = latest.id AND c.id = member.case_id",
        params,
    )

"""The supervisor dashboard benchmark: a unit of 8 workers with 25 cases each, timed through the test client.

`manage.py bench` discovers `<app>/bench.py` modules only: list `bench_supervisor_dashboard` in a
BENCHMARKS list there. With `data` (whatever the casework generator returned: the database
already holds the large generated dataset) only the unit is added on top of it; without, it
also loads a background of similar units itself (scale * BACKGROUND_UNITS_AT_SCALE_1), so it
runs on its own.

`build_unit` loads one unit with bulk inserts: staff with their role and unit groups, cases
opened 5 to 400 days ago, members (some excused, some children in out-of-home care), monthly
face-to-face visits in and out of the residence, investigations (their alleged child victims with
first-contact deadlines, about two in three past due) and approvals waiting. Each
member's visit-rule state is set by `cases.visit_rule`, exactly as the services would.
"""

import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit, User
from accounts.roles import Role
from cases import visit_rule
from cases.choices import (
    AssignmentRole,
    CaseOpenedFor,
    CaseStatus,
    ClosureReason,
    ContactLocation,
    ContactType,
    MaltreatmentType,
    MemberRole,
    ParticipantRole,
    ReportStatus,
    ResponsePriority,
)
from cases.models import Allegation, Case, CaseAssignment, CaseMember, Contact, IntakeReport, ReportParticipant
from cases.services.intake import response_due
from demo.bench.accounts import count_queries
from families.models import Person
from investigations.choices import DeadlineKind, InvestigationStatus
from investigations.models import ChildContactDeadline, Investigation

WORKERS = 8
CASES_PER_WORKER = 25
BACKGROUND_UNITS_AT_SCALE_1 = 40
RUNS = 20
WARM_UP_RUNS = 3
SEED = 2026
NAMES = ["Garcia", "Nguyen", "Okafor", "Smith", "Lopez", "Begay", "Haddad", "Kim", "Walker", "Silva"]
FIRST_NAMES = ["Ava", "Liam", "Mia", "Noah", "Sofia", "Mateo", "Maya", "Zoe", "Isaiah", "Nora", "Diego", "Grace"]
LOCATIONS = [ContactLocation.RESIDENCE] * 3 + [ContactLocation.SCHOOL, ContactLocation.OFFICE]


@dataclass(frozen=True)
class BenchUnit:
    unit: Unit
    supervisor: User
    workers: list[User]
    cases: int


def _progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _staff(label: str, workers: int) -> tuple[Unit, User, list[User]]:
    unusable = make_password(None)
    group = Group.objects.create(name=f"Unit: {label}")
    supervisor = User.objects.create(
        username=f"{label}-supervisor", first_name="Bench", last_name="Supervisor", password=unusable
    )
    unit = Unit.objects.create(name=label, supervisor=supervisor, group=group)
    staff = User.objects.bulk_create(
        [
            User(
                username=f"{label}-worker-{index}",
                first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
                last_name=f"Worker {index}",
                password=unusable,
                unit=unit,
            )
            for index in range(workers)
        ]
    )
    User.objects.filter(pk=supervisor.pk).update(unit=unit)
    roles = {role: Group.objects.get(name=role.group_name) for role in (Role.SUPERVISOR, Role.CASEWORKER)}
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=supervisor.pk, group_id=roles[Role.SUPERVISOR].pk)]
        + [
            Membership(user_id=user.pk, group_id=group_id)
            for user in staff
            for group_id in (roles[Role.CASEWORKER].pk, group.pk)
        ]
    )
    return unit, supervisor, staff


def build_unit(
    *, label: str | None = None, workers: int = WORKERS, cases_per_worker: int = CASES_PER_WORKER, seed: int = SEED
) -> BenchUnit:
    """One unit with its supervisor, `workers` caseworkers and their cases, by bulk inserts."""
    rng = random.Random(seed)
    label = label or f"Dashboard bench {uuid.uuid4().hex[:8]}"
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        unit, supervisor, staff = _staff(label, workers)
        plans = []  # (worker, opened_at, status)
        for index in range(workers * cases_per_worker):
            opened_at = now - timedelta(days=rng.randint(5, 400), hours=rng.randint(0, 23))
            status = CaseStatus.CLOSURE_REQUESTED if rng.random() < 0.03 else CaseStatus.OPEN
            plans.append((staff[index % workers], opened_at, status))
        cases = Case.objects.bulk_create(
            [
                Case(
                    family_name=f"{rng.choice(NAMES)} family",
                    opened_for=CaseOpenedFor.VOLUNTARY,
                    opened_at=opened_at,
                    opened_by=supervisor,
                    unit=unit,
                    status=status,
                    closure_reason=ClosureReason.REUNIFIED if status == CaseStatus.CLOSURE_REQUESTED else "",
                    closure_requested_by=worker if status == CaseStatus.CLOSURE_REQUESTED else None,
                )
                for worker, opened_at, status in plans
            ]
        )
        assignments = [
            CaseAssignment(
                case=case, worker=worker, role=AssignmentRole.PRIMARY, assigned_by=supervisor, started_at=opened_at
            )
            for case, (worker, opened_at, _) in zip(cases, plans, strict=True)
        ]
        for index, case in enumerate(cases):
            if workers > 1 and index % 10 == 0:  # every tenth case is shared with the next worker
                partner = staff[(index + 1) % workers]
                assignments.append(
                    CaseAssignment(
                        case=case,
                        worker=partner,
                        role=AssignmentRole.SECONDARY,
                        assigned_by=supervisor,
                        started_at=case.opened_at,
                    )
                )
        CaseAssignment.objects.bulk_create(assignments)

        roles_per_case = []
        people = []
        for case in cases:
            roles = [MemberRole.PARENT, MemberRole.CHILD, MemberRole.CHILD] + (
                [MemberRole.CAREGIVER] if rng.random() < 0.3 else []
            )
            roles_per_case.append(roles)
            surname = case.family_name.removesuffix(" family")
            for role in roles:
                age = rng.randint(25, 50) if role != MemberRole.CHILD else rng.randint(0, 17)
                people.append(
                    Person(
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=surname,
                        birth_date=today - timedelta(days=365 * age + rng.randint(0, 364)),
                        created_by=supervisor,
                        on_records=True,
                    )
                )
        people = iter(Person.objects.bulk_create(people, batch_size=2000))

        members = []
        visits = []  # (case, occurred_at, location, [members seen])
        for case, roles in zip(cases, roles_per_case, strict=True):
            opened_day = visit_rule.local_day(case.opened_at)
            in_care = rng.random() < 0.4
            case_members = []
            for role in roles:
                member = CaseMember(
                    case=case,
                    person=next(people),
                    role=role,
                    started_on=opened_day,
                    must_be_seen=not (role == MemberRole.PARENT and rng.random() < 0.05),
                    in_care_since=opened_day if in_care and role == MemberRole.CHILD else None,
                )
                member.excused_reason = "" if member.must_be_seen else "Whereabouts unknown"
                case_members.append(member)
            members.extend(case_members)
            # A face-to-face visit every 18 to 40 days from the opening; now and then someone is not seen.
            moment = case.opened_at + timedelta(days=rng.randint(1, 20))
            while moment < now:
                seen = [member for member in case_members if rng.random() < 0.9]
                if seen:
                    visits.append((case, moment, rng.choice(LOCATIONS), seen))
                moment += timedelta(days=rng.randint(18, 40), hours=rng.randint(-4, 4))
        latest = {}
        for _, moment, _, seen in visits:
            for member in seen:
                if id(member) not in latest or latest[id(member)] < moment:
                    latest[id(member)] = moment
        for member in members:
            member.last_face_to_face_at = latest.get(id(member))
            visit_rule.apply(member, member.case)
        CaseMember.objects.bulk_create(members, batch_size=2000)

        primary = {
            assignment.case_id: assignment.worker
            for assignment in assignments
            if assignment.role == AssignmentRole.PRIMARY
        }
        contacts = Contact.objects.bulk_create(
            [
                Contact(
                    case=case,
                    occurred_at=moment,
                    contact_type=ContactType.FACE_TO_FACE,
                    location=location,
                    narrative="Home visit; the children were seen and the plan discussed.",
                    recorded_by=primary[case.pk],
                    recorded_at=moment,
                )
                for case, moment, location, _ in visits
            ],
            batch_size=2000,
        )
        Seen = Contact.people_seen.through
        Seen.objects.bulk_create(
            [
                Seen(contact_id=contact.pk, person_id=member.person_id)
                for contact, (_, _, _, seen) in zip(contacts, visits, strict=True)
                for member in seen
            ],
            batch_size=5000,
        )
        _investigations(rng, unit, supervisor, staff, now)
    return BenchUnit(unit=unit, supervisor=supervisor, workers=staff, cases=len(cases))


def _investigations(rng: random.Random, unit: Unit, supervisor: User, staff: list[User], now) -> None:
    """Two investigations per worker, each with one to three alleged child victims and their first-contact
    deadlines as intake and `deadlines_open` leave them (due the report's response time after its receipt,
    not met yet: about two in three are past due); one screen-out awaiting approval."""
    received = [now - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 23)) for _ in range(2 * len(staff) + 1)]
    reports = IntakeReport.objects.bulk_create(
        [
            IntakeReport(
                status=ReportStatus.SCREENED_IN if index < 2 * len(staff) else ReportStatus.AWAITING_APPROVAL,
                unit=unit,
                created_by=supervisor,
                decided_by=supervisor,
                received_at=received_at,
                response_priority=ResponsePriority.THREE_DAYS,
                first_contact_due_at=response_due(received_at, ResponsePriority.THREE_DAYS),
                narrative="Generated for the dashboard benchmark.",
            )
            for index, received_at in enumerate(received)
        ]
    )
    screened_in = [report for report in reports if report.status == ReportStatus.SCREENED_IN]
    investigations = Investigation.objects.bulk_create(
        [
            Investigation(
                report=report,
                status=InvestigationStatus.ASSIGNED,
                unit=unit,
                assigned_worker=staff[index % len(staff)],
                response_due_at=report.first_contact_due_at,
                closure_due_at=report.received_at + timedelta(days=settings.KINDRED_INVESTIGATION_CLOSURE_DAYS),
            )
            for index, report in enumerate(screened_in)
        ]
    )
    today = timezone.localdate()
    victims = []  # (investigation, child)
    for investigation in investigations:
        family = rng.choice(NAMES)
        for _ in range(rng.randint(1, 3)):
            child = Person(
                first_name=rng.choice(FIRST_NAMES),
                last_name=family,
                birth_date=today - timedelta(days=365 * rng.randint(0, 17) + rng.randint(0, 364)),
                created_by=supervisor,
                on_records=True,
            )
            victims.append((investigation, child))
    Person.objects.bulk_create([child for _, child in victims])
    ReportParticipant.objects.bulk_create(
        [
            ReportParticipant(report=investigation.report, person=child, role=ParticipantRole.ALLEGED_VICTIM)
            for investigation, child in victims
        ]
    )
    Allegation.objects.bulk_create(
        [
            Allegation(report=investigation.report, victim=child, maltreatment_type=MaltreatmentType.NEGLECT)
            for investigation, child in victims
        ]
    )
    ChildContactDeadline.objects.bulk_create(
        [
            ChildContactDeadline(
                investigation=investigation,
                person=child,
                due_at=investigation.report.first_contact_due_at,
                added_at=investigation.report.received_at,
            )
            for investigation, child in victims
        ]
    )


def _settle() -> None:
    """The database as a server in service has it, not as a bulk load leaves it: the new rows vacuumed
    (their pages all-visible, as autovacuum makes them) and analysed, and the load's dirty pages
    written out. Otherwise the checkpoint after loading millions of rows runs during the timed
    requests, and each request's commit (its session) waits on the disk behind it (a full run
    without this gave 51.6 ms median, the next with it 45.4 ms, the dashboard code unchanged)."""
    with connection.cursor() as cursor:
        for model in (
            Case,
            CaseAssignment,
            CaseMember,
            Contact,
            Contact.people_seen.through,
            Person,
            User,
            IntakeReport,
            Investigation,
            ChildContactDeadline,
        ):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError as error:  # CHECKPOINT needs a superuser or pg_checkpoint
            _progress(f"no CHECKPOINT ({error}); the timings may include writing out the load")


def bench_supervisor_dashboard(*, scale: float, data: object | None = None) -> Iterator[tuple[str, float, str]]:
    """The dashboard page of a unit of 8 workers x 25 cases, as its supervisor: median of 20 after warm-up."""
    if data is None:
        background = max(0, round(BACKGROUND_UNITS_AT_SCALE_1 * scale))
        _progress(f"loading {background} background units of {WORKERS} x {CASES_PER_WORKER} cases...")
        for index in range(background):
            build_unit(seed=SEED + 1 + index)
    bench = build_unit()
    _settle()
    client = Client()
    client.force_login(bench.supervisor)
    url = reverse("supervisor_dashboard")

    def request_page():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}, expected 200")
        if bench.workers[0].last_name.encode() not in response.content:
            raise AssertionError(f"GET {url} does not list the unit's workers; the benchmark would measure nothing")

    for _ in range(WARM_UP_RUNS):
        request_page()
    # The children's first-contact deadlines past due are on the dashboard, so it counts them in every request.
    past_due = client.get(reverse("dashboard_drilldown", args=["investigations"]), secure=True)
    if DeadlineKind.FIRST_CONTACT.label.encode() not in past_due.content:
        raise AssertionError("No child's first contact is past due in the unit: the benchmark would not count them")
    queries = count_queries(request_page)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        request_page()
        timings.append(time.perf_counter() - started)
    yield "supervisor_dashboard_median_ms", statistics.median(timings) * 1000, "ms"
    yield "supervisor_dashboard_queries", queries, "queries"

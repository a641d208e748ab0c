"""Test data made through the real services, with invented names."""

from datetime import timedelta

from django.utils import timezone
from faker import Faker

from accounts import services
from accounts.models import Unit, User
from accounts.roles import Role

fake = Faker("en_US")
PASSWORD = "correct-horse-battery-staple"


def root_administrator() -> User:
    """The administrator who sets up everyone else in a test."""
    existing = User.objects.filter(username="root-admin").first()
    return existing or services.administrator_bootstrap(
        username="root-admin", first_name="Root", last_name="Admin", email="", password=PASSWORD
    )


def approving_administrator() -> User:
    """The second administrator, who approves what the root administrator gives: roles, clearances, supervisors."""
    existing = User.objects.filter(username="approving-admin").first()
    return existing or services.administrator_bootstrap(
        username="approving-admin", first_name="Second", last_name="Admin", email="", password=PASSWORD
    )


def make_unit(name: str | None = None, supervisor: User | None = None) -> Unit:
    return services.unit_create(
        actor=root_administrator(),
        name=name or f"{fake.city()} Unit {fake.random_int()}",
        supervisor=supervisor,
        approved_by=approving_administrator() if supervisor else None,
    )


def make_staff(username: str, *roles: Role, unit: Unit | None = None, **fields) -> User:
    """A staff member, created and approved in one go by the two administrators, who signs in with PASSWORD."""
    user, _ = services.user_create(
        actor=root_administrator(),
        username=username,
        first_name=fields.pop("first_name", fake.first_name()),
        last_name=fields.pop("last_name", fake.last_name()),
        email=f"{username}@example.org",
        roles=list(roles),
        unit=unit,
        approved_by=approving_administrator(),
        **fields,
    )
    # As if its owner had set PASSWORD through the one-time link.
    user.set_password(PASSWORD)
    User.objects.filter(pk=user.pk).update(password=user.password, must_change_password=False)
    user.refresh_from_db()
    return user


def make_person(
    actor: User, *, first_name: str | None = None, last_name: str | None = None, age: int | None = None, **fields
):
    """A person with an invented name; `age` sets a date of birth that many years ago."""
    from datetime import timedelta

    from django.utils import timezone

    from families import services as family_services

    if age is not None:
        fields["birth_date"] = timezone.localdate() - timedelta(days=365 * age + 30)
    return family_services.person_create(
        actor=actor,
        first_name=first_name or fake.first_name(),
        last_name=last_name or fake.last_name(),
        confirmed_not_duplicate=True,
        **fields,
    )


def put_on_a_report(screener: User, *people, role: str = "collateral"):
    """The people on a new report of the screener's unit: seen through it by the unit's supervisor, as a
    family is before a case opens for them (recording a person gives nobody access to them)."""
    from cases import services as intake

    report = make_report(screener, children=0)
    for person in people:
        intake.report_add_person(actor=screener, report=report, person=person, role=role)
    return report


def make_relative(screener: User, *, of, kind: str = "other_relative", **fields):
    """Someone recorded by the screener as a relative of `of`: seen by whoever sees `of` through a record,
    while on no record themselves."""
    from families import services as family_services

    relative = make_person(screener, **fields)
    family_services.relationship_create(actor=screener, person=relative, relative=of, kind=kind)
    return relative


def make_report(screener: User, *, children: int = 1, **fields):
    """A complete open report with one neglect allegation per child, ready for a decision."""
    from datetime import timedelta

    from django.utils import timezone

    from cases import services as intake

    values = {
        "received_at": timezone.now() - timedelta(hours=2),
        "method": "phone",
        "report_source": "education",
        "narrative": "Teacher reports the children arrive hungry and without coats.",
        "reporter_name": fake.name(),
        "reporter_relationship": "Teacher",
        **fields,
    }
    report = intake.report_create(actor=screener, **values)
    parent = make_person(screener, age=34)
    for _ in range(children):
        child = make_person(screener, age=7, last_name=parent.last_name)
        intake.allegation_add(
            actor=screener, report=report, victim=child, perpetrator=parent, maltreatment_type="neglect"
        )
    report.refresh_from_db()
    return report


def make_investigation(screener: User, *, worker: User | None = None, **fields):
    """A screened-in report whose investigation is assigned to `worker` (when given)."""
    from cases import services as intake
    from investigations.models import Investigation

    report = intake.report_screen_in(actor=screener, report=make_report(screener, **fields), response_priority="3_days")
    investigation = Investigation.objects.get(report=report)
    if worker is not None:
        from investigations.services import investigation_assign

        supervisor = investigation.unit.supervisor
        investigation = investigation_assign(actor=supervisor, investigation=investigation, worker=worker)
    return investigation


def make_case(
    supervisor: User,
    *,
    worker: User,
    children: int = 2,
    parents: int = 1,
    opened_days_ago: int = 0,
    **fields,
):
    """An open case in the supervisor's unit with `children` children and `parents` parents, assigned to `worker`."""
    from datetime import timedelta

    from django.utils import timezone

    from cases import services as casework

    opened_at = timezone.now() - timedelta(days=opened_days_ago)
    family = fake.last_name()

    def recorded_with_the_case(age: int, role: str) -> casework.NewMember:
        # Recording gives no access: the family is recorded as the case opens, and seen through it.
        born = timezone.localdate() - timedelta(days=365 * age + 30)
        person = {"first_name": fake.first_name(), "last_name": family, "birth_date": born}
        return casework.NewMember(person=None, role=role, new_person={**person, "confirmed_not_duplicate": True})

    members = [recorded_with_the_case(30 + i, "parent") for i in range(parents)] + [
        recorded_with_the_case(4 + i, "child") for i in range(children)
    ]
    return casework.case_open(
        actor=supervisor,
        family_name=f"{family} family",
        opened_for=fields.pop("opened_for", "voluntary"),
        unit=supervisor.supervised_units.get(),
        members=members,
        primary_worker=worker,
        opened_at=opened_at,
        **fields,
    )


def restore_role_groups() -> None:
    """The role groups, as the accounts migration creates them: a transactional test's closing flush
    (it empties every table) deletes them for the tests after it."""
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.group_name)


def log_visit(actor: User, case, *people, minutes_ago: int = 5):
    """A face-to-face visit at home that saw `people`, recorded through the real service."""
    from cases import services as casework

    return casework.contact_record(
        actor=actor,
        case=case,
        occurred_at=timezone.now() - timedelta(minutes=minutes_ago),
        contact_type="face_to_face",
        location="residence",
        people_seen=list(people),
        narrative="Saw the family at home.",
    )

"""What families shows and does of intake reports and cases, through its extension points.

Who a worker sees: the members of their cases, and, for a supervisor, the people on their units'
reports and cases. The person page lists the reports a person is on. A person carries the highest
restriction of the reports and cases they are on. A merge moves every link of these records, then
recomputes the face-to-face visit state of the members it touched.
"""

from collections import Counter

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils.formats import date_format

from accounts import access
from accounts.models import User
from cases.choices import ParticipantRole
from cases.extensions import follow_up_joins
from cases.models import Allegation, Case, CaseAssignment, CaseMember, Contact, IntakeReport, ReportParticipant
from cases.services.visits import members_recompute
from families import extensions
from families.extensions import Involvement
from families.models import Person
from families.services import person_links_move

# Every link of intake and casework records to a person, moved when two records of one person are merged.
PERSON_LINKS = [
    (ReportParticipant, "person"),
    (Allegation, "victim"),
    (Allegation, "perpetrator"),
    (CaseMember, "person"),
    (Contact, "people_seen"),
]


def people_on_my_cases(user: User) -> QuerySet:
    my_cases = CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).values("case")
    return CaseMember.objects.filter(case__in=my_cases).values("person")


def people_on_unit_reports(units: QuerySet) -> QuerySet:
    return ReportParticipant.objects.filter(report__unit__in=units).values("person")


def people_on_unit_cases(units: QuerySet) -> QuerySet:
    return CaseMember.objects.filter(case__unit__in=units).values("person")


def restrictions_on_reports_and_cases(person_ids) -> list[tuple[int, str]]:
    """The restriction of every report the people are on and of every case they are (or were) members of."""
    # Unordered: SQLite (the demo's database) refuses an ORDER BY inside a UNION's parts.
    on_reports = (
        ReportParticipant.objects.filter(person__in=person_ids)
        .order_by()
        .values_list("person", "report__access_restriction")
    )
    on_cases = (
        CaseMember.objects.filter(person__in=person_ids).order_by().values_list("person", "case__access_restriction")
    )
    return list(on_reports.union(on_cases))


def reports_of(user: User, person: Person) -> list[Involvement]:
    """The reports the person is on that the user may see, newest first.

    A reporter role shows only to those who may know the reporter; a report the person is on only as
    its reporter is then left out altogether.
    """
    reports = (
        access.visible(user, IntakeReport.objects.all())
        .filter(Exists(ReportParticipant.objects.filter(person=person, report=OuterRef("pk"))))
        .select_related(*follow_up_joins())
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=ReportParticipant.objects.filter(person=person).order_by("role"),
                to_attr="roles_of_person",
            )
        )
        .order_by(F("received_at").desc(nulls_last=True), "-created_at")
    )
    reports = list(reports)
    # Whose reporter the user may read, for all the reports at once.
    readable = set(
        access.reporters_readable(
            user, IntakeReport.objects.filter(pk__in=[report.pk for report in reports])
        ).values_list("pk", flat=True)
    )
    involvement = []
    for report in reports:
        roles = [
            participant.get_role_display()
            for participant in report.roles_of_person
            if participant.role != ParticipantRole.REPORTER or report.pk in readable
        ]
        if roles:
            involvement.append(
                Involvement(
                    reference=report.reference,
                    url=reverse("intake_detail", args=[report.public_id]),
                    status=report.get_status_display(),
                    dated=report.received_at,
                    roles=roles,
                )
            )
    return involvement


def cases_of(user: User, person: Person) -> list[Involvement]:
    """The cases the person is (or was) a member of that the user may see, newest first, with their roles."""
    memberships = (
        CaseMember.objects.filter(person=person, case__in=access.visible(user, Case.objects.all()))
        .select_related("case")
        .order_by("-case__opened_at", "started_on")
    )
    found: dict[int, Involvement] = {}
    for member in memberships:
        role = member.get_role_display() + (f" (until {date_format(member.ended_on)})" if member.ended_on else "")
        if member.case_id in found:
            found[member.case_id].roles.append(role)
            continue
        case = member.case
        found[member.case_id] = Involvement(
            reference=f"{case.reference} · {case.family_name}",
            url=reverse("case_detail", args=[case.public_id]),
            status=case.get_status_display(),
            dated=case.opened_at,
            roles=[role],
        )
    return list(found.values())


def shared_allegations(kept: Person, merged: Person) -> str:
    """The same allegation on both records (the child entered twice) carries its own history: a person decides.

    Checked here rather than left to the unique constraint, which lets allegations with an unknown
    perpetrator (NULL) through.
    """
    live = Allegation.objects.filter(withdrawn_at__isnull=True)
    for side, other_side in (("victim", "perpetrator"), ("perpetrator", "victim")):
        keys = ("report", other_side, "maltreatment_type")
        held = set(live.filter(**{side: kept}).values_list(*keys))
        shared = [key for key in live.filter(**{side: merged}).values_list(*keys) if key in held]
        if shared:
            reports = IntakeReport.objects.filter(pk__in=[report for report, _other, _type in shared])
            return (
                "Both records hold the same allegation on "
                + ", ".join(sorted(report.reference for report in reports))
                + "; withdraw one of them before merging."
            )
    return ""


def move_links(kept: Person, merged: Person, actor: User) -> dict[str, int]:
    """Move every report, allegation, case and contact link; the members touched get their visit state again.

    A role the kept record already holds on a report is not moved twice. The members' due dates follow
    the visits now counted for the kept person (a visit may have seen the duplicate, not the kept record).
    """
    for report_id, role in ReportParticipant.objects.filter(person=kept).values_list("report", "role"):
        ReportParticipant.objects.filter(person=merged, report_id=report_id, role=role).delete()
    touched = set(CaseMember.objects.filter(person=merged).values_list("case", flat=True))
    touched |= set(Contact.objects.filter(people_seen=merged, case__isnull=False).values_list("case", flat=True))
    moved = Counter()
    for model, field in PERSON_LINKS:
        moved.update(person_links_move(model=model, field=field, kept=kept, merged=merged))
    for case in Case.objects.filter(pk__in=touched).order_by("pk"):
        members_recompute(case=case, person_ids=[kept.pk])
    return dict(moved)


def register() -> None:
    extensions.people_assigned.register(people_on_my_cases)
    extensions.people_in_units.register(people_on_unit_reports)
    extensions.people_in_units.register(people_on_unit_cases)
    extensions.person_involvement.register(reports_of)
    extensions.person_involvement.register(cases_of)
    extensions.record_restrictions.register(restrictions_on_reports_and_cases)
    extensions.merge_checks.register(shared_allegations)
    extensions.merge_movers.register(move_links)

"""What families shows and does of intake reports and cases, through its extension points.

Who a worker sees: the members of their cases, and, for a supervisor, the people on their units'
reports and cases. The person page lists the reports a person is on.
"""

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.urls import reverse

from accounts import access
from accounts.models import User
from cases.choices import ParticipantRole
from cases.models import CaseAssignment, CaseMember, IntakeReport, ReportParticipant
from families import extensions
from families.extensions import Involvement
from families.models import Person


def people_on_my_cases(user: User) -> QuerySet:
    my_cases = CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).values("case")
    return CaseMember.objects.filter(case__in=my_cases).values("person")


def people_on_unit_reports(units: QuerySet) -> QuerySet:
    return ReportParticipant.objects.filter(report__unit__in=units).values("person")


def people_on_unit_cases(units: QuerySet) -> QuerySet:
    return CaseMember.objects.filter(case__unit__in=units).values("person")


def reports_of(user: User, person: Person) -> list[Involvement]:
    """The reports the person is on that the user may see, newest first.

    A reporter role shows only to those who may know the reporter; a report the person is on only as
    its reporter is then left out altogether.
    """
    reports = (
        access.visible(user, IntakeReport.objects.all())
        .filter(Exists(ReportParticipant.objects.filter(person=person, report=OuterRef("pk"))))
        .select_related("investigation")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=ReportParticipant.objects.filter(person=person).order_by("role"),
                to_attr="roles_of_person",
            )
        )
        .order_by(F("received_at").desc(nulls_last=True), "-created_at")
    )
    involvement = []
    for report in reports:
        roles = [
            participant.get_role_display()
            for participant in report.roles_of_person
            if participant.role != ParticipantRole.REPORTER or access.can_see_reporter(user, report)
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


def register() -> None:
    extensions.people_assigned.register(people_on_my_cases)
    extensions.people_in_units.register(people_on_unit_reports)
    extensions.people_in_units.register(people_on_unit_cases)
    extensions.person_involvement.register(reports_of)

"""Prior history: the other reports, investigations and cases of each person on a report, as the screening
page and the investigation page show it.

Only records the viewer may see (accounts.access.visible); of the others nothing is shown, not even a count.
A fixed number of queries whatever the number of people and records.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Exists, F, OuterRef
from django.urls import reverse

from accounts import access
from accounts.models import User
from cases.choices import ParticipantRole
from cases.extensions import PriorRecord, prior_records
from cases.models import Case, CaseMember, IntakeReport, ReportParticipant
from families.models import Person


@dataclass
class PersonHistory:
    person: Person
    roles: list[str]
    records: list[PriorRecord] = field(default_factory=list)


def _people_on(report: IntakeReport) -> tuple[list[PersonHistory], set[int], set[int]]:
    """The people on the report with their roles there, the reporter left out (their identity is confidential);
    and which of them are on another report, and on a case, whoever may see those: never shown, it only spares
    the policy's queries for them (costly to build even when they find nothing) when there is nothing to find."""
    participants = (
        ReportParticipant.objects.filter(report=report)
        .exclude(role=ParticipantRole.REPORTER)
        .select_related("person")
        .annotate(
            on_other_reports=Exists(ReportParticipant.objects.filter(person=OuterRef("person")).exclude(report=report)),
            on_cases=Exists(CaseMember.objects.filter(person=OuterRef("person"))),
        )
        .order_by("role", "person__last_name", "person__first_name", "id")
    )
    found: dict[int, PersonHistory] = {}
    on_other_reports, on_cases = set(), set()
    for participant in participants:
        entry = found.setdefault(participant.person_id, PersonHistory(person=participant.person, roles=[]))
        entry.roles.append(participant.get_role_display())
        if participant.on_other_reports:
            on_other_reports.add(participant.person_id)
        if participant.on_cases:
            on_cases.add(participant.person_id)
    return list(found.values()), on_other_reports, on_cases


def _other_reports(user: User, person_ids: list[int], report: IntakeReport) -> list[PriorRecord]:
    rows = list(
        ReportParticipant.objects.filter(
            person__in=person_ids, report__in=access.visible(user, IntakeReport.objects.all())
        )
        .exclude(report=report)
        .select_related("report")
        .order_by(F("report__received_at").desc(nulls_last=True), "-report__created_at", "role")
    )
    as_reporter = {row.report_id for row in rows if row.role == ParticipantRole.REPORTER}
    # Only asked when there is a reporter to show: building the policy's query costs even when it finds nothing.
    shown_reporters = (
        set(
            access.reporters_readable(user, IntakeReport.objects.filter(pk__in=as_reporter)).values_list(
                "pk", flat=True
            )
        )
        if as_reporter
        else set()
    )
    roles: dict[tuple[int, int], list[str]] = defaultdict(list)
    for row in rows:
        if row.role != ParticipantRole.REPORTER or row.report_id in shown_reporters:
            roles[(row.person_id, row.report_id)].append(row.get_role_display())
    records = {}
    for row in rows:
        key = (row.person_id, row.report_id)
        if key in roles and key not in records:
            records[key] = PriorRecord(
                person_id=row.person_id,
                kind="Report",
                reference=row.report.reference,
                url=reverse("intake_detail", args=[row.report.public_id]),
                status=row.report.get_status_display(),
                dated=row.report.received_at,
                roles=tuple(roles[key]),
            )
    return list(records.values())


def _cases(user: User, person_ids: list[int]) -> list[PriorRecord]:
    members = (
        CaseMember.objects.filter(person__in=person_ids, case__in=access.visible(user, Case.objects.all()))
        .select_related("case")
        .order_by("-case__opened_at", "started_on", "id")
    )
    records: dict[tuple[int, int], PriorRecord] = {}
    for member in members:
        key = (member.person_id, member.case_id)
        if key in records:
            known = records[key]
            records[key] = replace(known, roles=(*known.roles, member.get_role_display()))
            continue
        case = member.case
        records[key] = PriorRecord(
            person_id=member.person_id,
            kind="Case",
            reference=f"{case.reference} · {case.family_name}",
            url=reverse("case_detail", args=[case.public_id]),
            status=case.get_status_display(),
            dated=case.opened_at,
            roles=(member.get_role_display(),),
        )
    return list(records.values())


def prior_history(*, user: User, report: IntakeReport) -> list[PersonHistory]:
    """Each person on the report (the reporter left out) with the other records they are on that the user may
    see: reports, the higher records (investigations, with their disposition) and cases."""
    people, on_other_reports, on_cases = _people_on(report)
    found: list[PriorRecord] = []
    if on_other_reports:
        on_reports = sorted(on_other_reports)
        found += _other_reports(user, on_reports, report)
        found += [record for records in prior_records.call_all(user, on_reports, report) for record in records]
    if on_cases:
        found += _cases(user, sorted(on_cases))
    by_person = {entry.person.pk: entry for entry in people}
    for record in found:
        by_person[record.person_id].records.append(record)
    return people

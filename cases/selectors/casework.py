"""Reads for the case and contact pages: each page a fixed number of queries, whatever the family's size."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import User
from cases import extensions, visit_rule
from cases.choices import (
    AssignmentRole,
    CaseStatus,
    ContactLocation,
    ContactType,
    MemberRole,
    ParticipantRole,
    ReportStatus,
)
from cases.models import (
    Case,
    CaseAssignment,
    CaseMember,
    Contact,
    IntakeReport,
    ReportParticipant,
    VisitAlert,
    report_worked_in,
)
from cases.services import CONTACT_AMENDABLE_FIELDS
from families import selectors as people_selectors
from families.models import Person
from records.models import Amendment
from records.models import Contact as ContactBase
from records.workflow import may

CONTACTS_PER_PAGE = 25
SOURCE_REPORTS_SHOWN = 25
SEARCH_RESULTS_SHOWN = 10
# The order members are listed in: the children the rule is most about first.
MEMBER_ORDER = [MemberRole.CHILD, MemberRole.PARENT, MemberRole.CAREGIVER, MemberRole.OTHER]
# The case role a person's part in the report suggests, when a case is opened from it.
ROLE_FROM_REPORT = {
    ParticipantRole.ALLEGED_VICTIM: MemberRole.CHILD,
    ParticipantRole.PARENT_CAREGIVER: MemberRole.PARENT,
    ParticipantRole.HOUSEHOLD_MEMBER: MemberRole.OTHER,
}


# Case pages


def case_for_page() -> QuerySet:
    """Cases with what their header names, for access.get_for_view / get_for_change."""
    follow_ups = [f"source_report__{join}" for join in extensions.follow_up_joins()]
    return Case.objects.select_related(
        "unit", "unit__supervisor", "opened_by", "source_report", "closure_requested_by", *follow_ups
    )


@dataclass(frozen=True)
class CaseActions:
    """What the viewer may do with the case now; the services check again when they do it."""

    log_contact: bool
    change_members: bool
    supervise: bool
    request_closure: bool
    review_closure: bool
    reopen: bool
    add_note: bool

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def case_actions(*, user: User, case: Case) -> CaseActions:
    can_change = access.can_change(user, case)
    supervisor = can_change and access.supervises(user, case)
    return CaseActions(
        log_contact=can_change,
        change_members=can_change and case.is_open,
        supervise=supervisor,
        request_closure=can_change and may(case, "request_closure"),
        review_closure=supervisor and may(case, "approve_closure"),
        reopen=supervisor and may(case, "reopen"),
        add_note=can_change,
    )


def _member_rank(member: CaseMember) -> tuple[int, int]:
    return MEMBER_ORDER.index(member.role) if member.role in MEMBER_ORDER else len(MEMBER_ORDER), member.pk


def members_with_visit_status(today: date | None = None) -> QuerySet:
    """Members with their person and their visit status (annotated `visit_status`, the rule's own SQL)."""
    return CaseMember.objects.select_related("person").annotate(
        visit_status=visit_rule.status_expression(today or timezone.localdate())
    )


def members_with_status(*, case: Case, today: date | None = None) -> list[CaseMember]:
    """Every member of the case with its visit status, children first. One query."""
    return sorted(members_with_visit_status(today).filter(case=case), key=_member_rank)


@dataclass(frozen=True)
class OpeningRecord:
    """The record whose closure opened a case, as the case page names it: its page only for a viewer who may see
    it, its reference to anyone who sees the case."""

    reference: str
    url: str


@dataclass
class CasePage:
    case: Case
    today: date
    members: list[CaseMember]
    former_members: list[CaseMember]
    alerts: list[VisitAlert]
    contacts: Page
    workers: list[CaseAssignment]
    assignments: list[CaseAssignment]
    notes: list
    transitions: list
    actions: CaseActions
    can_view_source_report: bool
    # The record whose closure opened the case (its investigation), if any.
    opened_by: OpeningRecord | None
    # For a case opened otherwise: the record its source report's screen-in started and its page, when the viewer
    # sees it.
    source_follow_up: tuple[models.Model, str] | None


def _opened_by(user: User, case: Case) -> OpeningRecord | None:
    record, url = extensions.opener_of(case)
    if record is None:
        return None
    return OpeningRecord(reference=record.reference, url=url if access.can_view(user, record) else "")


def _source_follow_up(user: User, case: Case) -> tuple[models.Model, str] | None:
    if not case.source_report_id:
        return None
    record, url = extensions.follow_up_of(case.source_report)
    return (record, url) if record is not None and access.can_view(user, record) else None


def contacts_of(queryset: QuerySet) -> QuerySet:
    """Contacts with who recorded them, who was seen, and how often they were amended (two queries a page)."""
    return (
        queryset.select_related("recorded_by")
        .prefetch_related("people_seen")
        .annotate(amendment_count=Count("amendments"))
        .order_by("-occurred_at", "-id")
    )


def case_page(*, user: User, case: Case, contacts_page=None) -> CasePage:
    """Everything a case's page shows, in a fixed number of queries."""
    today = timezone.localdate()
    members = members_with_status(case=case, today=today)
    contacts = Paginator(contacts_of(Contact.objects.filter(case=case)), CONTACTS_PER_PAGE).get_page(contacts_page)
    contacts.object_list = list(contacts.object_list)
    assignments = list(CaseAssignment.objects.filter(case=case).select_related("worker", "assigned_by"))
    current = [assignment for assignment in assignments if assignment.ended_at is None]
    opened_by = _opened_by(user, case)
    return CasePage(
        case=case,
        today=today,
        members=[member for member in members if member.ended_on is None],
        former_members=[member for member in members if member.ended_on is not None],
        alerts=list(
            VisitAlert.objects.filter(member__case=case, resolved_at__isnull=True).select_related("member__person")
        ),
        contacts=contacts,
        workers=sorted(current, key=lambda assignment: assignment.role != AssignmentRole.PRIMARY),
        assignments=assignments,
        notes=list(case.notes.select_related("author")),
        transitions=list(case.transitions.select_related("by")),
        actions=case_actions(user=user, case=case),
        can_view_source_report=bool(case.source_report_id and access.can_view(user, case.source_report)),
        opened_by=opened_by,
        source_follow_up=None if opened_by else _source_follow_up(user, case),
    )


def member_of(*, case: Case, public_id) -> CaseMember:
    """A member of this case, or 404 (the case itself was fetched through the access policy)."""
    member = CaseMember.objects.select_related("person").filter(case=case, public_id=public_id).first()
    if member is None:
        raise Http404
    return member


def unit_caseworkers(user: User) -> QuerySet:
    """Active caseworkers of the units the user supervises: the workers a case can be assigned to."""
    return access.assignable_workers(units=access.supervising_units(user))


def workers_with_open_cases(user: User) -> list[User]:
    """Workers a supervisor may move cases away from: the unit's caseworkers and anyone (even deactivated)
    still assigned to an open case of the unit, each with `open_cases`."""
    units = access.supervising_units(user)
    open_assignments = CaseAssignment.objects.filter(ended_at__isnull=True, case__unit__in=units).exclude(
        case__status=CaseStatus.CLOSED
    )
    counted = (
        open_assignments.filter(worker=OuterRef("pk")).order_by().values("worker").annotate(n=Count("pk")).values("n")
    )
    workers = (User.objects.filter(pk__in=open_assignments.values("worker")) | access.caseworkers(units)).distinct()
    return list(
        User.objects.filter(pk__in=workers.values("pk"))
        .annotate(open_cases=Coalesce(Subquery(counted), 0))
        .order_by("-is_active", "last_name", "first_name")
    )


def grants_on(case: Case) -> int:
    """How many explicit (unexpired) grants of access the case carries."""
    return case.user_grants.count() + case.group_grants.count()


# Opening a case


def source_reports(user: User) -> list[IntakeReport]:
    """The latest screened-in reports of the supervisor's units, to open a case from."""
    units = access.supervising_units(user)
    found = access.visible(user, IntakeReport.objects.filter(status=ReportStatus.SCREENED_IN)).filter(
        report_worked_in(units)
    )
    return list(
        found.annotate(open_cases=Count("cases", filter=~Q(cases__status=CaseStatus.CLOSED))).order_by(
            "-received_at", "-created_at"
        )[:SOURCE_REPORTS_SHOWN]
    )


@dataclass(frozen=True)
class Candidate:
    """Someone who can be put on a new case, with the role suggested for them."""

    person: Person
    suggested_role: str
    from_report: bool


def report_people(*, user: User, report: IntakeReport) -> list[ReportParticipant]:
    """The people on a report, reporters left out: a family must never learn who reported them."""
    return list(
        ReportParticipant.objects.filter(report=report, person__in=people_selectors.people(user))
        .exclude(role=ParticipantRole.REPORTER)
        .select_related("person")
        .order_by("role", "id")
    )


def open_candidates(*, user: User, picked: list[str], report: IntakeReport | None, query: str) -> list[Candidate]:
    """People offered on the case-opening page: those already picked, the report's people, search results.

    Only people the user may see are offered; a posted id of anyone else is dropped.
    """
    candidates: dict[int, Candidate] = {}
    for person in people_selectors.people(user).filter(public_id__in=_uuids(picked)).order_by("last_name"):
        candidates[person.pk] = Candidate(person=person, suggested_role="", from_report=False)
    if report is not None:
        for participant in report_people(user=user, report=report):
            known = candidates.get(participant.person_id)
            role = (known.suggested_role if known else "") or ROLE_FROM_REPORT.get(participant.role, "")
            candidates[participant.person_id] = Candidate(
                person=participant.person, suggested_role=role, from_report=True
            )
    if query:
        for person in people_selectors.person_search(user=user, name=query, limit=SEARCH_RESULTS_SHOWN):
            candidates.setdefault(person.pk, Candidate(person=person, suggested_role="", from_report=False))
    return list(candidates.values())


def _uuids(values: list[str]) -> list[str]:
    found = []
    for value in values:
        try:
            found.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return found


# Contacts


@dataclass(frozen=True)
class Seeable:
    """Someone a contact can record as seen: a case member, or a person on the investigation's report."""

    person: Person
    role_label: str
    is_child: bool
    member_public_id: str = ""


def case_seeable(*, case: Case) -> list[Seeable]:
    """The case's current members, children first. One query."""
    members = [member for member in members_with_status(case=case) if member.ended_on is None]
    return [
        Seeable(
            person=member.person,
            role_label=member.get_role_display(),
            is_child=member.role == MemberRole.CHILD,
            member_public_id=str(member.public_id),
        )
        for member in members
    ]


@dataclass
class ContactPage:
    contact: ContactBase
    record: models.Model
    people: list[Person]
    amendments: list[tuple[Amendment, str, str, str]]
    can_amend: bool


@dataclass(frozen=True)
class FoundContact:
    """A contact found by its public id, with its record (fetched through the access policy) and its kind:
    None for a case's contact, else the higher record type's `extensions.ContactKind`."""

    contact: ContactBase
    record: models.Model
    kind: extensions.ContactKind | None

    @property
    def record_url(self) -> str:
        if self.kind is None:
            return reverse("case_detail", args=[self.record.public_id])
        return self.kind.record_url(self.record)


def contact_for(*, user: User, public_id, change: bool = False) -> FoundContact:
    """A contact of a case (or of a higher record, `extensions.contact_kinds`) and its record, through that
    record's access policy.

    404 unless the user may see the record; with change=True, 403 if they may see but not change it.
    A read is audited on the record, where "who looked at this child's record" is asked.
    """
    fetch = access.get_for_change if change else access.get_for_view
    contact = Contact.objects.select_related("recorded_by").filter(public_id=public_id).first()
    if contact is not None:
        return FoundContact(contact=contact, record=fetch(user, case_for_page(), pk=contact.case_id), kind=None)
    for kind in extensions.contact_kinds:
        contact = kind.model.objects.select_related("recorded_by").filter(public_id=public_id).first()
        if contact is not None:
            record = fetch(user, kind.records(), pk=getattr(contact, f"{kind.record_field}_id"))
            return FoundContact(contact=contact, record=record, kind=kind)
    raise Http404


def contact_page(*, user: User, contact: ContactBase, record: models.Model) -> ContactPage:
    amendments = [
        (
            amendment,
            amendable_label(amendment.field),
            shown_value(amendment.field, amendment.old_value),
            shown_value(amendment.field, amendment.new_value),
        )
        for amendment in contact.amendments.select_related("by")
    ]
    return ContactPage(
        contact=contact,
        record=record,
        people=sorted(contact.people_seen.all(), key=lambda person: (person.last_name, person.first_name)),
        amendments=amendments,
        can_amend=access.can_change(user, record),
    )


def amendable_label(field: str) -> str:
    label = str(Contact._meta.get_field(field).verbose_name)
    return label[:1].upper() + label[1:]


def amendable_fields() -> list[tuple[str, str]]:
    return [(name, amendable_label(name)) for name in CONTACT_AMENDABLE_FIELDS]


CHOICE_LABELS = {"contact_type": dict(ContactType.choices), "location": dict(ContactLocation.choices)}


def shown_value(field: str, text: str) -> str:
    """An amendment's stored old or new value, as a reader expects to see it."""
    if not text:
        return "empty"
    if field in CHOICE_LABELS:
        return str(CHOICE_LABELS[field].get(text, text))
    if field == "seen_privately":
        return "Yes" if text == "yes" else "No"
    if field == "occurred_at":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        return timezone.localtime(moment).strftime("%b %-d, %Y %H:%M")
    return text

"""Ongoing cases: opening, members, restriction, closure, reopening, notes (assignments: `assignments.py`)."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.audit import latest_change, log_action
from accounts.models import Unit, User
from accounts.notifications import notify_about
from cases import visit_rule
from cases.choices import (
    MUST_BE_SEEN_ROLES,
    AssignmentRole,
    CaseOpenedFor,
    ClosureReason,
    MemberRole,
)
from cases.models import Case, CaseAssignment, CaseMember, CaseNote, IntakeReport
from cases.services.visits import members_recompute, visit_job_lock
from common.versions import check_version
from families.models import Person
from families.services import RESTRICTION_ORDER, people_restriction_refresh, person_create
from records.workflow import returned, transition

__all__ = [
    "NewMember",
    "case_add_member",
    "case_add_new_member",
    "case_add_note",
    "case_link",
    "case_lock",
    "case_approve_closure",
    "case_change_restriction",
    "case_end_member",
    "case_open",
    "case_reopen",
    "case_request_closure",
    "case_return_closure",
    "member_excuse",
    "member_record_care",
    "member_require_visits",
    "worker_validate",
]

# The edits that raise a case's version, so what a refused stale edit names as the other person's change.
CASE_EDITS = ["cases.case.member_care_recorded", "cases.case.restriction_changed"]


@dataclass(frozen=True)
class NewMember:
    """Someone joining a case as it opens: a person on record, or (`person` None) someone not on record yet,
    `new_person` being families.services.person_create's arguments, recorded with the case or not at all."""

    person: Person | None
    role: str
    started_on: date | None = None
    new_person: dict | None = None


def case_lock(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def worker_validate(worker: User, unit: Unit, field: str, restriction: str = "none") -> None:
    if not access.may_be_assigned(worker, unit=unit):
        raise ValidationError({field: "Choose an active caseworker of the case's unit."})
    if not access.holds_clearance(worker, restriction):
        raise ValidationError({field: "This case is restricted; the worker does not hold the clearance."})


def _lower(restriction: str, than: str) -> bool:
    return RESTRICTION_ORDER.index(restriction) < RESTRICTION_ORDER.index(than)


def case_link(case: Case) -> str:
    return reverse("case_detail", args=[case.public_id])


def _new_member(case: Case, spec: NewMember) -> CaseMember:
    if spec.role not in MemberRole.values:
        raise ValidationError({"members": "Each member needs a role."})
    started_on = spec.started_on or visit_rule.local_day(case.opened_at)
    if started_on > timezone.localdate():
        raise ValidationError({"members": "A member cannot join the case in the future."})
    member = CaseMember(
        case=case,
        person=spec.person,
        role=spec.role,
        started_on=started_on,
        must_be_seen=spec.role in MUST_BE_SEEN_ROLES,
    )
    visit_rule.apply(member, case)
    return member


@transaction.atomic
def case_open(
    *,
    actor: User,
    family_name: str,
    opened_for: str,
    unit: Unit,
    members: list[NewMember],
    primary_worker: User,
    secondary_worker: User | None = None,
    source_report: IntakeReport | None = None,
    opened_at: datetime | None = None,
    access_restriction: str = "none",
    restriction_reason: str = "",
) -> Case:
    """A supervisor opens a case for a family in their unit, with its members and workers.

    A case opened from a restricted report starts with the report's restriction (or a higher one asked
    for): only case_change_restriction lowers it, with a reason.
    """
    if not access.supervises_unit(actor, unit):
        raise PermissionDenied
    if opened_for not in CaseOpenedFor.values:
        raise ValidationError({"opened_for": "Say why the case is opened."})
    if not family_name.strip():
        raise ValidationError({"family_name": "Name the case, e.g. 'Lopez family'."})
    opened_at = opened_at or timezone.now()
    if opened_at > timezone.now() + timedelta(minutes=1):
        raise ValidationError({"opened_at": "A case cannot open in the future."})
    if not any(spec.role == MemberRole.CHILD for spec in members):
        raise ValidationError({"members": "A case needs at least one child."})
    if any((spec.person is None) == (spec.new_person is None) for spec in members):
        raise ValidationError({"members": "Each member is someone on record or someone new, not both."})
    for spec in members:
        if spec.person is not None and not access.can_view(actor, spec.person):
            raise PermissionDenied
    recorded = [spec.person is None for spec in members]
    members = [
        replace(spec, person=person_create(actor=actor, **spec.new_person), new_person=None) if new else spec
        for spec, new in zip(members, recorded, strict=True)
    ]
    if len({spec.person.pk for spec in members}) != len(members):
        raise ValidationError({"members": "Each person joins the case once."})
    if source_report is not None and not access.can_view(actor, source_report):
        raise PermissionDenied
    if source_report is not None and _lower(access_restriction, source_report.access_restriction):
        access_restriction = source_report.access_restriction
        restriction_reason = restriction_reason.strip() or f"Opened from {source_report.reference}, restricted."
    if not access.holds_clearance(actor, access_restriction):
        raise ValidationError({"access_restriction": "You do not hold this clearance."})
    if access_restriction != "none" and not restriction_reason.strip():
        raise ValidationError({"restriction_reason": "Say why access to this case is restricted."})
    worker_validate(primary_worker, unit, "primary_worker", access_restriction)
    if secondary_worker is not None:
        worker_validate(secondary_worker, unit, "secondary_worker", access_restriction)
        if secondary_worker.pk == primary_worker.pk:
            raise ValidationError({"secondary_worker": "The secondary worker must be someone else."})
    case = Case(
        family_name=family_name.strip(),
        opened_for=opened_for,
        opened_at=opened_at,
        opened_by=actor,
        unit=unit,
        source_report=source_report,
        access_restriction=access_restriction,
        restriction_reason=restriction_reason,
    )
    case.full_clean(exclude=["opened_by", "unit", "source_report"])
    case.save()
    # New members may be due at once (a case opened as of an earlier day): not while the job runs.
    visit_job_lock(shared=True)
    CaseMember.objects.bulk_create([_new_member(case, spec) for spec in members])
    people_restriction_refresh(person_ids=[spec.person.pk for spec in members])
    # Recording gives no access: whoever records someone sees them through the case, or records nobody.
    if any(new and not access.can_view(actor, spec.person) for spec, new in zip(members, recorded, strict=True)):
        raise PermissionDenied
    for worker, role in ((primary_worker, AssignmentRole.PRIMARY), (secondary_worker, AssignmentRole.SECONDARY)):
        if worker is not None:
            CaseAssignment.objects.create(case=case, worker=worker, role=role, assigned_by=actor, started_at=opened_at)
    log_action(
        actor=actor,
        action="cases.case.opened",
        target=case,
        changes={"opened_for": case.get_opened_for_display(), "members": len(members)},
    )
    notify_about(
        record=case,
        recipients=[primary_worker, secondary_worker],
        message=f"{case.reference} was opened and assigned to you.",
        link=case_link(case),
    )
    return case


@transaction.atomic
def case_add_member(
    *, actor: User, case: Case, person: Person, role: str, started_on: date | None = None
) -> CaseMember:
    case = _case_to_join(actor, case)
    if not access.can_view(actor, person):
        raise PermissionDenied
    return _join_case(actor, case, person, role, started_on)


@transaction.atomic
def case_add_new_member(
    *,
    actor: User,
    case: Case,
    role: str,
    started_on: date | None = None,
    confirmed_not_duplicate: bool = False,
    aliases: list[tuple[str, str]] | None = None,
    **person_fields,
) -> CaseMember:
    """Record someone new and put them on the case, together or not at all.

    The people service refuses a likely duplicate unless `confirmed_not_duplicate`; its error then names
    the possible matches, so the worker can add the existing person instead.
    """
    case = _case_to_join(actor, case)
    person = person_create(
        actor=actor, confirmed_not_duplicate=confirmed_not_duplicate, aliases=aliases, **person_fields
    )
    member = _join_case(actor, case, person, role, started_on)
    # Recording gives no access: whoever records someone sees them through the case, or records nobody.
    if not access.can_view(actor, person):
        raise PermissionDenied
    return member


def _case_to_join(actor: User, case: Case) -> Case:
    case = case_lock(case)
    if not access.can_change(actor, case):
        raise PermissionDenied
    if not case.is_open:
        raise ValidationError("Members join an open case only.")
    return case


def _join_case(actor: User, case: Case, person: Person, role: str, started_on: date | None) -> CaseMember:
    if case.members.filter(person=person, ended_on__isnull=True).exists():
        raise ValidationError({"person": "This person is already on the case."})
    if role not in MemberRole.values:
        raise ValidationError({"role": "Choose the person's role on the case."})
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "A member cannot join the case in the future."})
    member = _new_member(case, NewMember(person=person, role=role, started_on=started_on))
    member.save()
    people_restriction_refresh(person_ids=[person.pk])
    members_recompute(case=case, person_ids=[person.pk])
    log_action(
        actor=actor,
        action="cases.case.member_added",
        target=case,
        changes={"person": person.audit_label(), "role": member.get_role_display()},
    )
    return member


@transaction.atomic
def case_end_member(*, actor: User, member: CaseMember, ended_on: date, reason: str) -> CaseMember:
    case = case_lock(member.case)
    if not access.can_change(actor, case):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Say why the person leaves the case."})
    member = CaseMember.objects.select_for_update(of=("self",), no_key=True).select_related("person").get(pk=member.pk)
    if member.ended_on is not None:
        raise ValidationError("This person has already left the case.")
    if ended_on < member.started_on or ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The end date must be between the member's start and today."})
    member.ended_on, member.end_reason = ended_on, reason
    member.save(update_fields=["ended_on", "end_reason"])
    members_recompute(case=case, person_ids=[member.person_id])
    log_action(
        actor=actor,
        action="cases.case.member_ended",
        target=case,
        reason=reason,
        changes={"person": member.person.audit_label()},
    )
    return member


@transaction.atomic
def member_excuse(*, actor: User, member: CaseMember, reason: str, diligent_search_note: str = "") -> CaseMember:
    """Excuse a member from the visit rule (e.g. a parent whose whereabouts are unknown), with the reason."""
    case = case_lock(member.case)
    access.require_supervising(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": "Say why this person need not be visited."})
    member = CaseMember.objects.select_for_update(no_key=True).get(pk=member.pk)
    member.must_be_seen, member.excused_reason, member.diligent_search_note = False, reason, diligent_search_note
    member.save(update_fields=["must_be_seen", "excused_reason", "diligent_search_note"])
    members_recompute(case=case, person_ids=[member.person_id])
    log_action(
        actor=actor,
        action="cases.case.member_excused",
        target=case,
        reason=reason,
        changes={"person": member.person.audit_label()},
    )
    return member


@transaction.atomic
def member_require_visits(*, actor: User, member: CaseMember, reason: str) -> CaseMember:
    """Put an excused member back under the visit rule (e.g. a parent found again), with the reason."""
    case = case_lock(member.case)
    access.require_supervising(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": "Say why this person must be visited again."})
    member = CaseMember.objects.select_for_update(no_key=True).get(pk=member.pk)
    member.must_be_seen, member.excused_reason = True, ""
    member.save(update_fields=["must_be_seen", "excused_reason"])
    members_recompute(case=case, person_ids=[member.person_id])
    log_action(
        actor=actor,
        action="cases.case.member_visits_required",
        target=case,
        reason=reason,
        changes={"person": member.person.audit_label()},
    )
    return member


@transaction.atomic
def member_record_care(
    *,
    actor: User,
    member: CaseMember,
    in_care_since: date,
    in_care_until: date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> CaseMember:
    """Record that a child on the case is in out-of-home care since a day (and until one, once it ended),
    with a note on the period (`reason`, e.g. the placement order) that replaces the one recorded.
    Refused when the case changed since the version the worker's page read (`expected_version`).

    The federal monthly visit measure counts the months a child spends in care.
    """
    case = case_lock(member.case)
    if not access.can_change(actor, case):
        raise PermissionDenied
    check_version(record=case, expected=expected_version, noun="this case", last_change=latest_change(case, CASE_EDITS))
    member = CaseMember.objects.select_for_update(of=("self",), no_key=True).select_related("person").get(pk=member.pk)
    if member.role != MemberRole.CHILD:
        raise ValidationError("Out-of-home care is recorded for children only.")
    today = timezone.localdate()
    errors = {}
    if in_care_since > today:
        errors["in_care_since"] = "Care cannot start in the future."
    elif in_care_since < member.started_on:
        errors["in_care_since"] = "Care on this case cannot start before the child joined it."
    if in_care_until is not None:
        if in_care_until > today:
            errors["in_care_until"] = "Care cannot end in the future; leave the end empty while it continues."
        elif in_care_until < in_care_since:
            errors["in_care_until"] = "Care cannot end before it started."
    if errors:
        raise ValidationError(errors)
    old = (member.in_care_since, member.in_care_until)
    member.in_care_since, member.in_care_until, member.in_care_note = in_care_since, in_care_until, reason
    member.save(update_fields=["in_care_since", "in_care_until", "in_care_note"])
    case.version += 1
    case.save(update_fields=["version"])
    log_action(
        actor=actor,
        action="cases.case.member_care_recorded",
        target=case,
        reason=reason,
        changes={
            "person": member.person.audit_label(),
            "in_care_since": {"old": _iso(old[0]), "new": _iso(in_care_since)},
            "in_care_until": {"old": _iso(old[1]), "new": _iso(in_care_until)},
        },
    )
    return member


@transaction.atomic
def case_change_restriction(*, actor: User, case: Case, access_restriction: str, reason: str) -> Case:
    """A supervisor of the case, cleared for both the restriction it has and the one it gets, changes it,
    with a written reason. Raised: every current worker must hold the new clearance. The members follow.
    """
    case = case_lock(case)
    access.require_supervising(actor, case)
    if access_restriction not in RESTRICTION_ORDER:
        raise ValidationError({"access_restriction": "Choose an access restriction."})
    if access_restriction == case.access_restriction:
        raise ValidationError({"access_restriction": "This is the case's restriction already."})
    if not (
        access.holds_clearance(actor, case.access_restriction) and access.holds_clearance(actor, access_restriction)
    ):
        raise ValidationError({"access_restriction": "You do not hold this clearance."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case's restriction changes."})
    workers = User.objects.filter(case_assignments__case=case, case_assignments__ended_at__isnull=True)
    if any(not access.holds_clearance(worker, access_restriction) for worker in workers):
        raise ValidationError({"access_restriction": "A worker on the case does not hold this clearance."})
    old = case.access_restriction
    case.access_restriction, case.restriction_reason = access_restriction, reason.strip()
    case.version += 1
    case.save(update_fields=["access_restriction", "restriction_reason", "version"])
    people_restriction_refresh(person_ids=case.members.values_list("person", flat=True))
    log_action(
        actor=actor,
        action="cases.case.restriction_changed",
        target=case,
        reason=case.restriction_reason,
        changes={"access_restriction": {"old": old, "new": access_restriction}},
    )
    return case


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@transaction.atomic
def case_request_closure(*, actor: User, case: Case, reason: str, note: str = "") -> Case:
    case = case_lock(case)
    if not access.can_change(actor, case):
        raise PermissionDenied
    if reason not in ClosureReason.values:
        raise ValidationError({"closure_reason": "Choose why the case closes."})
    if reason == ClosureReason.OTHER and not note.strip():
        raise ValidationError({"closure_note": "Explain the reason 'other'."})
    case.closure_reason, case.closure_note, case.closure_requested_by, case.return_comment = reason, note, actor, ""
    transition(
        case,
        "request_closure",
        actor=actor,
        comment=note,
        save=["closure_reason", "closure_note", "closure_requested_by", "return_comment"],
        audit_reason=note,
        audit_changes={"closure_reason": case.get_closure_reason_display()},
    )
    notify_about(
        record=case,
        recipients=[case.unit.supervisor],
        message=f"{case.reference}: closure awaits your approval.",
        link=case_link(case),
    )
    return case


@transaction.atomic
def case_approve_closure(*, actor: User, case: Case, comment: str = "") -> Case:
    case = case_lock(case)
    access.require_supervising(actor, case)
    case.closed_at = timezone.now()
    transition(case, "approve_closure", actor=actor, comment=comment, save=["closed_at"], audit_reason=comment)
    members_recompute(case=case)
    notify_about(
        record=case,
        recipients=[case.closure_requested_by],
        message=f"{case.reference} is closed.",
        link=case_link(case),
    )
    return case


@transaction.atomic
def case_return_closure(*, actor: User, case: Case, comment: str) -> Case:
    case = case_lock(case)
    access.require_supervising(actor, case)
    return returned(
        case,
        move="return_closure",
        actor=actor,
        comment=comment,
        refusal="Say what needs to happen before the case can close.",
        recipients=[case.closure_requested_by],
        message=f"{case.reference}: your closure request was returned.",
        link=case_link(case),
    )


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Reopen a closed case: every member's visit clock restarts from the reopening."""
    case = case_lock(case)
    access.require_supervising(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case reopens."})
    case.closed_at, case.closure_reason, case.closure_note = None, "", ""
    case.reopened_at = timezone.now()
    transition(
        case,
        "reopen",
        actor=actor,
        comment=reason,
        save=["closed_at", "closure_reason", "closure_note", "reopened_at"],
        audit_reason=reason,
    )
    members_recompute(case=case)
    return case


@transaction.atomic
def case_add_note(*, actor: User, case: Case, text: str) -> CaseNote:
    if not access.can_change(actor, case):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": "The note is empty."})
    note = CaseNote.objects.create(case=case, author=actor, text=text)
    log_action(actor=actor, action="cases.case.note_added", target=case)
    return note

"""Closing an investigation with an outcome: the worker asks, the unit's supervisor approves (opening the
ongoing case through cases' service when the outcome calls for one) or returns it with a comment."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import User
from accounts.notifications import notify_about
from cases.choices import CaseOpenedFor, MemberRole, ParticipantRole
from cases.models import Case, ReportParticipant
from cases.services import NewMember, case_open
from investigations.choices import OUTCOMES_OPENING_A_CASE, ClosureOutcome
from investigations.models import Investigation
from investigations.selectors.findings import closure_missing, closure_refusal
from investigations.services.findings import investigation_lock, others
from records.workflow import returned, transition

__all__ = [
    "investigation_approve_closure",
    "investigation_request_closure",
    "investigation_return_closure",
]

# The case role of each person on the report (a reporter or a collateral contact never joins the case);
# someone named in several roles joins in the first of them in MEMBER_ROLE_ORDER.
MEMBER_ROLE_OF = {
    ParticipantRole.ALLEGED_VICTIM: MemberRole.CHILD,
    ParticipantRole.PARENT_CAREGIVER: MemberRole.PARENT,
    # The person alleged to have maltreated the child is, in a family investigation, one of its caregivers.
    ParticipantRole.ALLEGED_PERPETRATOR: MemberRole.CAREGIVER,
    ParticipantRole.HOUSEHOLD_MEMBER: MemberRole.OTHER,
}
MEMBER_ROLE_ORDER = (MemberRole.CHILD, MemberRole.PARENT, MemberRole.CAREGIVER, MemberRole.OTHER)


def _url(investigation: Investigation) -> str:
    return reverse("investigation_detail", args=[investigation.public_id])


def _outcome_errors(outcome: str, referrals: str) -> dict:
    if outcome not in ClosureOutcome.values:
        return {"closure_outcome": ["Choose the outcome of the investigation."]}
    if outcome == ClosureOutcome.COMMUNITY_REFERRAL and not referrals.strip():
        return {"closure_referrals": ["Name the community services the family was referred to."]}
    return {}


@transaction.atomic
def investigation_request_closure(
    *, actor: User, investigation: Investigation, outcome: str, referrals: str = "", note: str = ""
) -> Investigation:
    """The worker asks the supervisor to close the investigation with an outcome. Refused, naming every missing
    piece at once, unless the findings are approved, the safety and risk assessments are done, every child's
    first contact is met or excused and the cross-report is made where one is required."""
    investigation = investigation_lock(investigation)
    if not access.can_change(actor, investigation):
        raise PermissionDenied
    Investigation.workflow.check(investigation, "request_closure")
    errors = _outcome_errors(outcome, referrals)
    missing = closure_missing(investigation)
    if missing:
        errors[NON_FIELD_ERRORS] = [closure_refusal(missing)]
    if errors:
        raise ValidationError(errors)
    investigation.closure_outcome = outcome
    investigation.closure_referrals = referrals.strip() if outcome == ClosureOutcome.COMMUNITY_REFERRAL else ""
    investigation.closure_note = note.strip()
    investigation.closure_requested_by, investigation.closure_requested_at = actor, timezone.now()
    investigation.return_comment = ""
    transition(
        investigation,
        "request_closure",
        actor=actor,
        comment=investigation.closure_note,
        save=[
            "closure_outcome",
            "closure_referrals",
            "closure_note",
            "closure_requested_by",
            "closure_requested_at",
            "return_comment",
        ],
        audit_changes={"outcome": investigation.get_closure_outcome_display()},
        audit_reason=investigation.closure_note,
    )
    supervisor = investigation.unit.supervisor if investigation.unit_id else None
    notify_about(
        record=investigation,
        recipients=others(actor, supervisor),
        message=f"{investigation.reference}: closure ({investigation.get_closure_outcome_display()}) awaits your "
        "approval.",
        link=reverse("investigation_closure_review", args=[investigation.public_id]),
    )
    return investigation


def _members(investigation: Investigation) -> list[NewMember]:
    """The people on the investigation's report as case members (never its reporter), each in one role."""
    participants = (
        ReportParticipant.objects.filter(report_id=investigation.report_id, role__in=MEMBER_ROLE_OF)
        .select_related("person")
        .order_by("id")
    )
    today = timezone.localdate()
    roles: dict[int, str] = {}
    people = {}
    for participant in participants:
        role = MEMBER_ROLE_OF[participant.role]
        age = participant.person.age_on(today)
        if role == MemberRole.OTHER and age is not None and age < settings.KINDRED_CHILD_AGE_LIMIT:
            role = MemberRole.CHILD
        known = roles.get(participant.person_id)
        if known is None or MEMBER_ROLE_ORDER.index(role) < MEMBER_ROLE_ORDER.index(known):
            roles[participant.person_id] = role
        people[participant.person_id] = participant.person
    return [NewMember(person=people[person_id], role=role) for person_id, role in roles.items()]


def _family_name(members: list[NewMember]) -> str:
    adults = [member for member in members if member.role != MemberRole.CHILD]
    named = (adults or members)[0].person
    return f"{named.last_name} family"


def _open_case(actor: User, investigation: Investigation) -> Case:
    """The ongoing case the outcome calls for, opened through cases' service for the investigation's worker."""
    members = _members(investigation)
    if not members:
        raise ValidationError("The report names no one who could join a case.")
    worker = investigation.assigned_worker
    if worker is None or not access.may_be_assigned(worker, unit=investigation.unit):
        raise ValidationError(
            "The case would be assigned to the investigation's worker, who is no longer an active caseworker of "
            "the unit: reassign the investigation first."
        )
    # Opened from the report, the case carries at least the report's restriction (cases' rule).
    return case_open(
        actor=actor,
        family_name=_family_name(members),
        opened_for=CaseOpenedFor.INVESTIGATION,
        unit=investigation.unit,
        members=members,
        primary_worker=worker,
        source_report=investigation.report,
    )


@transaction.atomic
def investigation_approve_closure(*, actor: User, investigation: Investigation, comment: str = "") -> Investigation:
    """The unit's supervisor closes the investigation. For an outcome that calls for one, the ongoing case is
    opened with the report's people and linked; should anything fail, nothing is saved."""
    investigation = investigation_lock(investigation)
    access.require_supervising(actor, investigation)
    Investigation.workflow.check(investigation, "approve_closure")
    missing = closure_missing(investigation)
    if missing:
        raise ValidationError(closure_refusal(missing))
    investigation.closed_at = timezone.now()
    save = ["closed_at"]
    changes = {"outcome": investigation.get_closure_outcome_display()}
    if investigation.closure_outcome in OUTCOMES_OPENING_A_CASE:
        investigation.opened_case = _open_case(actor, investigation)
        save.append("opened_case")
        changes["case"] = investigation.opened_case.reference
    transition(
        investigation,
        "approve_closure",
        actor=actor,
        comment=comment,
        save=save,
        audit_changes=changes,
        audit_reason=comment,
    )
    notify_about(
        record=investigation,
        recipients=others(actor, investigation.closure_requested_by, investigation.assigned_worker),
        message=f"{investigation.reference} is closed ({investigation.get_closure_outcome_display()}).",
        link=_url(investigation),
    )
    return investigation


@transaction.atomic
def investigation_return_closure(*, actor: User, investigation: Investigation, comment: str) -> Investigation:
    """The unit's supervisor returns the closure request to the worker, saying what must happen first."""
    investigation = investigation_lock(investigation)
    access.require_supervising(actor, investigation)
    comment = comment.strip()
    return returned(
        investigation,
        move="return_closure",
        actor=actor,
        comment=comment,
        refusal="Say what needs to happen before the investigation can close.",
        recipients=others(actor, investigation.closure_requested_by, investigation.assigned_worker),
        message=f"{investigation.reference}: your closure request was returned: {comment}",
        link=_url(investigation),
    )

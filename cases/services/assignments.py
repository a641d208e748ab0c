"""Who works a case: assigning and reassigning one case, and moving all of a worker's cases at once."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.audit import log_action
from accounts.models import User
from accounts.notifications import notify, notify_about, record_kind
from cases.choices import (
    AssignmentRole,
    CaseStatus,
)
from cases.models import Case, CaseAssignment
from cases.services.casework import case_link, case_lock, worker_validate

__all__ = ["Reassignment", "case_assign", "cases_reassign_all"]


def _end_assignment(assignment: CaseAssignment, now: datetime) -> None:
    assignment.ended_at = now
    assignment.save(update_fields=["ended_at"])


def _settle_grants(*, actor: User, case: Case, revoke_grants: bool) -> int:
    """On reassignment the supervisor keeps or revokes the explicit grants made on the case."""
    if not revoke_grants:
        return 0
    from accounts.services import access_revoke

    grants = [*case.user_grants.all(), *case.group_grants.all()]
    for grant in grants:
        access_revoke(actor=actor, grant=grant, reason="Revoked at reassignment")
    return len(grants)


@transaction.atomic
def case_assign(
    *, actor: User, case: Case, worker: User | None, role: str = AssignmentRole.PRIMARY, revoke_grants: bool = False
) -> CaseAssignment | None:
    """Assign (or with worker=None, remove) the primary or secondary worker. History is kept; access moves with it."""
    case = case_lock(case)
    access.require_supervising(actor, case)
    if role not in AssignmentRole.values:
        raise ValidationError({"role": "Choose primary or secondary."})
    if role == AssignmentRole.PRIMARY and worker is None:
        raise ValidationError({"worker": "A case always has a primary worker."})
    if worker is not None:
        worker_validate(worker, case.unit, "worker", case.access_restriction)
    now = timezone.now()
    current = case.assignments.filter(ended_at__isnull=True).select_related("worker")
    same_role = next((a for a in current if a.role == role), None)
    if worker is not None and same_role is not None and same_role.worker_id == worker.pk:
        raise ValidationError({"worker": "This worker already has this role on the case."})
    other_role = next((a for a in current if worker is not None and a.worker_id == worker.pk), None)
    if other_role is not None and other_role.role == AssignmentRole.PRIMARY:
        raise ValidationError({"worker": "This worker is the primary worker; assign another primary worker first."})
    if other_role is not None:
        _end_assignment(other_role, now)
    if same_role is not None:
        _end_assignment(same_role, now)
    assignment = None
    if worker is not None:
        assignment = CaseAssignment.objects.create(
            case=case, worker=worker, role=role, assigned_by=actor, started_at=now
        )
    revoked = _settle_grants(actor=actor, case=case, revoke_grants=revoke_grants)
    previous = same_role.worker if same_role else None
    log_action(
        actor=actor,
        action="cases.case.assigned",
        target=case,
        changes={
            "role": AssignmentRole(role).label,
            "worker": {
                "old": previous.display_name if previous else None,
                "new": worker.display_name if worker else None,
            },
            "grants_revoked": revoked,
        },
    )
    link = case_link(case)
    if worker is not None:
        notify_about(
            record=case,
            recipients=[worker],
            message=f"{case.reference} was assigned to you ({AssignmentRole(role).label}).",
            link=link,
        )
    if previous is not None:
        notify_about(
            record=case, recipients=[previous], message=f"{case.reference} was reassigned to someone else.", link=link
        )
    return assignment


@dataclass(frozen=True)
class Reassignment:
    """What a bulk reassignment did: how many cases moved, and which stayed with the departing worker.

    not_cleared: the cases the receiving worker is not cleared for (the actor sees them).
    hidden: how many cases the actor is not cleared for; their cleared supervisors or program managers are told.
    """

    moved: int
    not_cleared: list[Case]
    hidden: int


@transaction.atomic
def cases_reassign_all(*, actor: User, from_worker: User, to_worker: User, revoke_grants: bool = False) -> Reassignment:
    """Move every open case of a departing worker, in the units the actor supervises, to another worker.

    A case the actor may not see, or the receiving worker is not cleared for, stays where it is and is reported.
    """
    access.require_capability(actor, "supervise_units")
    if from_worker.pk == to_worker.pk:
        raise ValidationError({"to_worker": "Choose a different worker."})
    units = access.supervising_units(actor)
    assignments = list(
        CaseAssignment.objects.select_for_update(of=("self",))
        .filter(worker=from_worker, ended_at__isnull=True, case__unit__in=units)
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case", "case__unit")
        .order_by("case__opened_at", "pk")
    )
    hidden = [a.case for a in assignments if not access.holds_clearance(actor, a.case.access_restriction)]
    not_cleared = [
        a.case
        for a in assignments
        if access.holds_clearance(actor, a.case.access_restriction)
        and not access.holds_clearance(to_worker, a.case.access_restriction)
    ]
    skipped = {case.pk for case in [*hidden, *not_cleared]}
    assignments = [a for a in assignments if a.case_id not in skipped]
    for assignment in assignments:
        worker_validate(to_worker, assignment.case.unit, "to_worker", assignment.case.access_restriction)
    now = timezone.now()
    for assignment in assignments:
        case = assignment.case
        _end_assignment(assignment, now)
        already = CaseAssignment.objects.filter(case=case, worker=to_worker, ended_at__isnull=True).first()
        if already is not None and assignment.role == AssignmentRole.PRIMARY:
            _end_assignment(already, now)
        if already is None or assignment.role == AssignmentRole.PRIMARY:
            CaseAssignment.objects.create(
                case=case, worker=to_worker, role=assignment.role, assigned_by=actor, started_at=now
            )
        revoked = _settle_grants(actor=actor, case=case, revoke_grants=revoke_grants)
        log_action(
            actor=actor,
            action="cases.case.assigned",
            target=case,
            changes={
                "role": assignment.get_role_display(),
                "worker": {"old": from_worker.display_name, "new": to_worker.display_name},
                "grants_revoked": revoked,
            },
        )
    moved = len(assignments)
    if moved:
        link = reverse("my_work")
        notify(
            recipients=[to_worker],
            message=f"{moved} cases of {from_worker.display_name} were assigned to you.",
            link=link,
            kind=record_kind(Case),
        )
        notify(
            recipients=[from_worker],
            message=f"Your {moved} open cases were reassigned.",
            link=link,
            kind=record_kind(Case),
        )
    for case in hidden:
        # Meant for the actor, who is not cleared for it: the case's cleared overseers are told instead.
        notify_about(
            record=case,
            recipients=[actor],
            message=f"{case.reference} was not moved from {from_worker.display_name}; reassign it yourself.",
            link=case_link(case),
        )
    return Reassignment(moved=moved, not_cleared=not_cleared, hidden=len(hidden))

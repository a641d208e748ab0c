from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.audit import log_action
from accounts.models import User
from accounts.notifications import notify_about
from accounts.services import access_grant
from cases.models import IntakeReport
from investigations.choices import InvestigationStatus
from investigations.models import Investigation
from investigations.services.deadlines import deadlines_follow_priority, deadlines_open
from records.workflow import transition


def _url(investigation: Investigation) -> str:
    return reverse("investigation_detail", args=[investigation.public_id])


def investigation_open(*, actor: User, report: IntakeReport) -> Investigation:
    """A screened-in report's investigation, waiting for assignment in the report's unit; its supervisor is told.

    Runs inside report_screen_in's transaction (registered in cases' `report_screened_in`).
    """
    investigation = Investigation.objects.create(
        report=report, unit=report.unit, response_due_at=report.first_contact_due_at
    )
    deadlines_open(investigation=investigation)
    log_action(actor=actor, action="investigations.investigation.created", target=investigation)
    supervisor = report.unit.supervisor if report.unit_id else None
    notify_about(
        record=investigation,
        recipients=[supervisor],
        message=f"{investigation.reference} awaits assignment ({report.get_response_priority_display()}).",
        link=_url(investigation),
        key=f"investigation-created:{investigation.public_id}",
    )
    return investigation


def investigation_follow_response_due(*, report: IntakeReport) -> None:
    """The investigation's response deadline is its report's first-contact deadline, which moved.

    Runs inside the priority change's transaction (registered in cases' `report_response_due_changed`).
    """
    Investigation.objects.filter(report=report).update(response_due_at=report.first_contact_due_at)
    deadlines_follow_priority(report=report)


@transaction.atomic
def investigation_assign(
    *, actor: User, investigation: Investigation, worker: User, keep_previous_access: bool = False
) -> Investigation:
    """The unit's supervisor assigns (or reassigns) the investigating worker; access moves with the assignment.

    The previous worker loses access at once, unless the supervisor lets them keep reading it for
    KINDRED_KEPT_ACCESS_DAYS (an explicit, expiring grant, e.g. to hand over what they know)."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    access.require_supervising(actor, investigation)
    if not access.has_capability(worker, "carry_caseload"):
        raise ValidationError({"worker": "Assign an active caseworker."})
    if not access.supervises_unit(actor, worker.unit):
        raise ValidationError({"worker": "Assign a caseworker of a unit you supervise."})
    if not access.holds_clearance(worker, investigation.report.access_restriction):
        raise ValidationError({"worker": "This report is restricted; the worker does not hold the clearance."})
    previous = investigation.assigned_worker
    if previous is not None and previous.pk == worker.pk:
        raise ValidationError({"worker": "This worker already has the investigation."})
    investigation.assigned_worker = worker
    investigation.unit = worker.unit or investigation.unit
    transition(
        investigation,
        "assign" if investigation.status == InvestigationStatus.AWAITING_ASSIGNMENT else "reassign",
        actor=actor,
        comment=f"Assigned to {worker.display_name}.",
        save=["assigned_worker", "unit"],
        audit_changes={"worker": {"old": previous.display_name if previous else None, "new": worker.display_name}},
    )
    link = _url(investigation)
    notify_about(
        record=investigation, recipients=[worker], message=f"{investigation.reference} was assigned to you.", link=link
    )
    if previous is not None:
        if keep_previous_access:
            access_grant(
                actor=actor,
                obj=investigation,
                grantee=previous,
                action=access.VIEW,
                expires_at=timezone.now() + timedelta(days=settings.KINDRED_KEPT_ACCESS_DAYS),
                reason="Kept read access after the investigation was reassigned.",
            )
        notify_about(
            record=investigation, recipients=[previous], message=f"{investigation.reference} was reassigned.", link=link
        )
    return investigation

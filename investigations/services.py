from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts import access
from accounts.models import User
from accounts.notifications import notify
from investigations.choices import InvestigationStatus
from investigations.models import Investigation
from records.workflow import transition


@transaction.atomic
def investigation_assign(*, actor: User, investigation: Investigation, worker: User) -> Investigation:
    """The unit's supervisor assigns (or reassigns) the investigating worker; access moves with the assignment."""
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
    link = reverse("investigation_detail", args=[investigation.public_id])
    notify(recipients=[worker], message=f"{investigation.reference} was assigned to you.", link=link)
    if previous is not None:
        notify(recipients=[previous], message=f"{investigation.reference} was reassigned.", link=link)
    return investigation

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts import access
from accounts.audit import log_action
from accounts.models import User
from accounts.notifications import notify_about
from cases.choices import ParticipantRole
from cases.models import IntakeReport, ReportParticipant
from cases.services import contact_correct, contact_save, contact_validate
from investigations.choices import InvestigationStatus
from investigations.models import Investigation, InvestigationContact, InvestigationContactAmendment
from investigations.services.deadlines import (
    contact_deadlines_recompute,
    deadlines_follow_priority,
    deadlines_open,
    first_contact_recorded,
)
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
    link = _url(investigation)
    notify_about(
        record=investigation, recipients=[worker], message=f"{investigation.reference} was assigned to you.", link=link
    )
    if previous is not None:
        notify_about(
            record=investigation, recipients=[previous], message=f"{investigation.reference} was reassigned.", link=link
        )
    return investigation


def _contacts_from(investigation: Investigation) -> datetime:
    """When contacts on the investigation can start: when the report came in."""
    return investigation.report.received_at or investigation.created_at


@transaction.atomic
def investigation_contact_record(
    *,
    actor: User,
    investigation: Investigation,
    people_seen: list,
    **details,
) -> InvestigationContact:
    """Record a contact on an investigation, with the people on its report who were seen.

    `details` are the fields every contact has (`records.models.Contact`): occurred_at, contact_type,
    location, narrative, and optionally seen_privately, location_detail, safety_concerns, next_steps.
    """
    locked = Investigation.objects.select_for_update(of=("self",)).get(pk=investigation.pk)
    if not access.can_change(actor, locked):
        raise PermissionDenied
    contact = InvestigationContact(investigation=investigation, recorded_by=actor, **details)
    # Reporters are left out: a contact naming them would tell whoever reads it who made the report.
    participants = ReportParticipant.objects.filter(report_id=locked.report_id).exclude(role=ParticipantRole.REPORTER)
    eligible = set(participants.values_list("person_id", flat=True))
    contact_validate(contact, opened_at=_contacts_from(locked), people=people_seen, eligible_ids=eligible)
    contact = contact_save(
        actor=actor, record=investigation, record_url=_url(investigation), contact=contact, people_seen=people_seen
    )
    first_contact_recorded(actor=actor, investigation=locked, contact=contact, people_seen=people_seen)
    return contact


@transaction.atomic
def investigation_contact_amend(
    *, actor: User, contact: InvestigationContact, field: str, value, reason: str
) -> InvestigationContactAmendment:
    """Correct a recorded contact of an investigation; the old value stays on record."""
    investigation = contact.investigation
    if not access.can_change(actor, investigation):
        raise PermissionDenied
    amendment = contact_correct(
        actor=actor,
        record=investigation,
        record_url=_url(investigation),
        opened_at=_contacts_from(investigation),
        contact=contact,
        field=field,
        value=value,
        reason=reason,
    )
    if field in ("occurred_at", "contact_type"):
        locked = Investigation.objects.select_for_update(of=("self",)).select_related("report").get(pk=investigation.pk)
        contact_deadlines_recompute(actor=actor, investigation=locked)
    return amendment

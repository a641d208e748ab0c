"""Writes of an investigation's contacts (with their purpose and collateral contacts) and cross-reports."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.audit import log_action
from accounts.models import User
from cases.choices import ParticipantRole
from cases.models import ReportParticipant
from cases.services import contact_correct, contact_save, contact_validate
from investigations.choices import ContactPurpose, InvestigationStatus
from investigations.models import (
    CollateralContact,
    CrossReport,
    Investigation,
    InvestigationContact,
    InvestigationContactAmendment,
)
from investigations.services.deadlines import contact_deadlines_recompute, first_contact_recorded

CLOSED_MESSAGE = "This investigation is closed: nothing more can be recorded on it."
COLLATERAL_FIELDS = ("name", "role", "organisation", "phone")


def _url(investigation: Investigation) -> str:
    return reverse("investigation_detail", args=[investigation.public_id])


def _contacts_from(investigation: Investigation) -> datetime:
    """When contacts on the investigation can start: when the report came in."""
    return investigation.report.received_at or investigation.created_at


def _locked_for_change(actor: User, investigation: Investigation) -> Investigation:
    """The investigation, locked, once the actor may change it and it is still open."""
    locked = Investigation.objects.select_for_update(of=("self",)).select_related("report").get(pk=investigation.pk)
    if not access.can_change(actor, locked):
        raise PermissionDenied
    if locked.status == InvestigationStatus.CLOSED:
        raise ValidationError(CLOSED_MESSAGE)
    return locked


def _collaterals_checked(collaterals: list[dict]) -> list[CollateralContact]:
    """Each collateral contact as a row to save, or every row's errors at once (nothing saved)."""
    rows, errors = [], []
    for number, values in enumerate(collaterals, start=1):
        row = CollateralContact(**{name: (values.get(name) or "").strip() for name in COLLATERAL_FIELDS})
        try:
            row.full_clean(exclude=["contact"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                label = CollateralContact._meta.get_field(field).verbose_name
                errors.extend(f"Collateral contact {number}, {label}: {message}" for message in messages)
        rows.append(row)
    if errors:
        raise ValidationError({"collaterals": errors})
    return rows


@transaction.atomic
def investigation_contact_record(
    *,
    actor: User,
    investigation: Investigation,
    people_seen: list,
    purpose: str = ContactPurpose.INTERVIEW,
    collaterals: list[dict] = (),
    **details,
) -> InvestigationContact:
    """Record a contact on an investigation: its purpose, the people on its report who were seen, and the
    collateral contacts who are not on the record (a teacher, a doctor), all saved together or not at all.

    `details` are the fields every contact has (`records.models.Contact`): occurred_at, contact_type,
    location, narrative, and optionally seen_privately, location_detail, safety_concerns, next_steps.
    `collaterals` are dicts of name, role (CollateralRole), organisation and phone.
    """
    locked = _locked_for_change(actor, investigation)
    rows = _collaterals_checked(list(collaterals))
    if purpose == ContactPurpose.COLLATERAL and not rows:
        raise ValidationError({"collaterals": "A collateral contact names who was contacted."})
    contact = InvestigationContact(investigation=investigation, recorded_by=actor, purpose=purpose, **details)
    # Reporters are left out: a contact naming them would tell whoever reads it who made the report.
    participants = ReportParticipant.objects.filter(report_id=locked.report_id).exclude(role=ParticipantRole.REPORTER)
    eligible = set(participants.values_list("person_id", flat=True))
    contact_validate(
        contact, opened_at=_contacts_from(locked), people=people_seen, eligible_ids=eligible, others_seen=bool(rows)
    )
    contact = contact_save(
        actor=actor, record=investigation, record_url=_url(investigation), contact=contact, people_seen=people_seen
    )
    for row in rows:
        row.contact = contact
    CollateralContact.objects.bulk_create(rows)
    first_contact_recorded(actor=actor, investigation=locked, contact=contact, people_seen=people_seen)
    return contact


@transaction.atomic
def investigation_contact_amend(
    *, actor: User, contact: InvestigationContact, field: str, value, reason: str
) -> InvestigationContactAmendment:
    """Correct a recorded contact of an investigation; the old value stays on record."""
    investigation = _locked_for_change(actor, contact.investigation)
    amendment = contact_correct(
        actor=actor,
        record=investigation,
        record_url=_url(investigation),
        opened_at=_contacts_from(investigation),
        contact=contact,
        field=field,
        value=value,
        reason=reason,
        others_seen=contact.collaterals.exists(),
    )
    if field in ("occurred_at", "contact_type", "people_seen"):
        contact_deadlines_recompute(actor=actor, investigation=investigation)
    return amendment


@transaction.atomic
def cross_report_record(
    *,
    actor: User,
    investigation: Investigation,
    agency: str,
    reported_at: datetime,
    method: str,
    officer_name: str,
    officer_report_number: str = "",
) -> CrossReport:
    """Record the investigation's cross-report to law enforcement: the agency, when and how, who received it
    and their report number. Not in the future, not before the report was received."""
    locked = _locked_for_change(actor, investigation)
    received_at = locked.report.received_at or locked.created_at
    if reported_at > timezone.now() + timezone.timedelta(minutes=1):
        raise ValidationError({"reported_at": "A cross-report cannot be in the future."})
    if reported_at < received_at:
        raise ValidationError({"reported_at": "A cross-report cannot be before the report was received."})
    cross_report = CrossReport(
        investigation=locked,
        agency=agency.strip(),
        reported_at=reported_at,
        method=method,
        officer_name=officer_name.strip(),
        officer_report_number=officer_report_number.strip(),
        recorded_by=actor,
    )
    cross_report.full_clean()
    cross_report.save()
    log_action(
        actor=actor,
        action="investigations.cross_report.recorded",
        target=locked,
        changes={
            "cross_report": cross_report.audit_label(),
            "agency": cross_report.agency,
            "method": cross_report.get_method_display(),
        },
    )
    return cross_report

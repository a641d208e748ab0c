"""An investigation's findings: recorded per allegation while in progress, submitted together, approved or
returned by the unit's supervisor, reopened by the worker. The disposition is derived and stored."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.audit import log_action
from accounts.models import User
from accounts.notifications import notify_about
from cases.models import Allegation
from investigations.choices import Finding, InvestigationStatus
from investigations.models import AllegationFinding, Investigation
from investigations.selectors.findings import allegation_rows, disposition_of, open_allegations
from records.workflow import returned, transition

__all__ = [
    "FindingEntry",
    "investigation_approve_findings",
    "investigation_lock",
    "investigation_record_findings",
    "investigation_reopen_findings",
    "investigation_return_findings",
    "investigation_submit_findings",
    "others",
]


@dataclass(frozen=True)
class FindingEntry:
    """What was found on one allegation."""

    allegation: Allegation
    finding: str
    found_on: date | None
    rationale: str


def investigation_lock(investigation: Investigation) -> Investigation:
    return (
        Investigation.objects.select_for_update(of=("self",))
        .select_related("report", "unit", "assigned_worker")
        .get(pk=investigation.pk)
    )


def others(actor: User, *recipients: User | None) -> list[User | None]:
    """Whom to tell of the actor's change: everyone concerned but the actor."""
    return [user for user in recipients if user is None or user.pk != actor.pk]


def _url(investigation: Investigation) -> str:
    return reverse("investigation_detail", args=[investigation.public_id])


def _supervisor(investigation: Investigation) -> User | None:
    return investigation.unit.supervisor if investigation.unit_id else None


def _entry_errors(entry: FindingEntry, investigation: Investigation) -> list[str]:
    victim = entry.allegation.victim.full_name
    errors = []
    if entry.finding not in Finding.values:
        errors.append(f"{victim}: choose a finding.")
    if entry.found_on is None:
        errors.append(f"{victim}: say when it was found.")
    elif entry.found_on > timezone.localdate():
        errors.append(f"{victim}: the finding's date cannot be in the future.")
    elif investigation.report.received_at and entry.found_on < timezone.localdate(investigation.report.received_at):
        errors.append(f"{victim}: the finding's date cannot be before the report came in.")
    if not entry.rationale.strip():
        errors.append(f"{victim}: give the rationale for the finding.")
    return errors


@transaction.atomic
def investigation_record_findings(
    *, actor: User, investigation: Investigation, entries: list[FindingEntry]
) -> Investigation:
    """Record (or change) the findings of some or all of the investigation's allegations while it is in
    progress; the disposition follows from all of them."""
    investigation = investigation_lock(investigation)
    if not access.can_change(actor, investigation):
        raise PermissionDenied
    if investigation.status != InvestigationStatus.IN_PROGRESS:
        raise ValidationError(
            f"Findings are recorded while the investigation is in progress; it is "
            f"{investigation.get_status_display().lower()}."
        )
    if not entries:
        raise ValidationError({"findings": "Record the finding of at least one allegation."})
    standing = {allegation.pk for allegation in open_allegations(investigation)}
    if any(entry.allegation.pk not in standing for entry in entries):
        raise ValidationError({"findings": "Record findings only on the standing allegations of this report."})
    if len({entry.allegation.pk for entry in entries}) != len(entries):
        raise ValidationError({"findings": "Each allegation has one finding."})
    errors = [error for entry in entries for error in _entry_errors(entry, investigation)]
    if errors:
        raise ValidationError({"findings": errors})
    now = timezone.now()
    changed = {}
    for entry in entries:
        AllegationFinding.objects.update_or_create(
            allegation=entry.allegation,
            defaults={
                "investigation": investigation,
                "finding": entry.finding,
                "found_on": entry.found_on,
                "rationale": entry.rationale.strip(),
                "recorded_by": actor,
                "updated_at": now,
            },
        )
        changed[entry.allegation.victim.full_name] = Finding(entry.finding).label
    before = investigation.disposition
    investigation.disposition = disposition_of(
        [row.finding.finding for row in allegation_rows(investigation) if row.finding is not None]
    )
    investigation.save(update_fields=["disposition"])
    log_action(
        actor=actor,
        action="investigations.findings.recorded",
        target=investigation,
        changes={**changed, "disposition": {"old": before, "new": investigation.disposition}},
    )
    return investigation


@transaction.atomic
def investigation_submit_findings(*, actor: User, investigation: Investigation) -> Investigation:
    """Submit the findings together for the supervisor's approval: every standing allegation needs one."""
    investigation = investigation_lock(investigation)
    if not access.can_change(actor, investigation):
        raise PermissionDenied
    Investigation.workflow.check(investigation, "submit_findings")
    missing = [row.allegation for row in allegation_rows(investigation) if row.finding is None]
    if missing:
        names = "; ".join(f"{a.get_maltreatment_type_display()} of {a.victim.full_name}" for a in missing)
        raise ValidationError(f"Record a finding for every allegation before submitting. Missing: {names}.")
    investigation.findings_submitted_at = timezone.now()
    investigation.return_comment = ""
    transition(
        investigation,
        "submit_findings",
        actor=actor,
        save=["findings_submitted_at", "return_comment"],
        audit_changes={"disposition": investigation.get_disposition_display()},
    )
    notify_about(
        record=investigation,
        recipients=others(actor, _supervisor(investigation)),
        message=f"{investigation.reference}: findings await your approval.",
        link=reverse("investigation_findings_review", args=[investigation.public_id]),
    )
    return investigation


@transaction.atomic
def investigation_approve_findings(*, actor: User, investigation: Investigation, comment: str = "") -> Investigation:
    """The unit's supervisor approves the submitted findings."""
    investigation = investigation_lock(investigation)
    access.require_supervising(actor, investigation)
    investigation.findings_approved_by, investigation.findings_approved_at = actor, timezone.now()
    transition(
        investigation,
        "approve_findings",
        actor=actor,
        comment=comment,
        save=["findings_approved_by", "findings_approved_at"],
        audit_reason=comment,
    )
    notify_about(
        record=investigation,
        recipients=[investigation.assigned_worker],
        message=f"{investigation.reference}: your findings were approved.",
        link=_url(investigation),
    )
    return investigation


@transaction.atomic
def investigation_return_findings(*, actor: User, investigation: Investigation, comment: str) -> Investigation:
    """The unit's supervisor returns the submitted findings to the worker, saying what to change."""
    investigation = investigation_lock(investigation)
    access.require_supervising(actor, investigation)
    comment = comment.strip()
    return returned(
        investigation,
        move="return_findings",
        actor=actor,
        comment=comment,
        refusal="Say what needs to change in the findings.",
        recipients=[investigation.assigned_worker],
        message=f"{investigation.reference}: your findings were returned: {comment}",
        link=_url(investigation),
    )


@transaction.atomic
def investigation_reopen_findings(*, actor: User, investigation: Investigation, reason: str) -> Investigation:
    """The worker reopens approved findings (new information): back to work, to be submitted again."""
    investigation = investigation_lock(investigation)
    if not access.can_change(actor, investigation):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Say why the findings are reopened."})
    investigation.findings_approved_by, investigation.findings_approved_at = None, None
    transition(
        investigation,
        "reopen_findings",
        actor=actor,
        comment=reason.strip(),
        save=["findings_approved_by", "findings_approved_at"],
        audit_reason=reason.strip(),
    )
    notify_about(
        record=investigation,
        recipients=others(actor, _supervisor(investigation), investigation.assigned_worker),
        message=f"{investigation.reference}: the approved findings were reopened: {reason.strip()}",
        link=_url(investigation),
    )
    return investigation

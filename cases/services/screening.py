"""Screening: the decision on a submitted report (screen in with a response priority, or screen out),
the supervisor's approval or return, and later changes of the response priority.

Every status change is a move of `IntakeReport.workflow` through `records.workflow`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.audit import diff, log_action
from accounts.models import User
from accounts.notifications import notify_about
from cases import extensions
from cases.choices import (
    PRIORITY_ORDER,
    Decision,
    ReportStatus,
    ResponsePriority,
    ScreenOutReason,
)
from cases.models import Allegation, IntakeReport
from cases.services.intake import (
    report_lock,
    report_require_change,
    report_validate_complete,
    report_validate_values,
    response_due,
)
from records.workflow import returned, transition

__all__ = [
    "report_approve_screen_out",
    "report_change_priority",
    "report_decide_downgrade",
    "report_return",
    "report_screen_in",
    "report_screen_out",
]

# What a screening decision saves besides the priority.
DECISION_FIELDS = [
    "status",
    "decision",
    "screen_out_reason",
    "decision_notes",
    "return_comment",
    "decided_by",
    "decided_at",
]


def _child_victims(report: IntakeReport) -> list[Allegation]:
    received_on = timezone.localdate(report.received_at)
    limit = settings.KINDRED_CHILD_AGE_LIMIT
    allegations = report.allegations.filter(withdrawn_at__isnull=True).select_related("victim")
    return [a for a in allegations if (age := a.victim.age_on(received_on)) is not None and age < limit]


@transaction.atomic
def report_screen_in(*, actor: User, report: IntakeReport, response_priority: str, notes: str = "") -> IntakeReport:
    """Screen in: the response deadline is set, and what a screen-in starts (an investigation) begins."""
    access.require_capability(actor, "take_reports")
    report = report_lock(report)
    report_require_change(actor, report)
    IntakeReport.workflow.check(report, "screen_in")
    if response_priority not in ResponsePriority.values:
        raise ValidationError({"response_priority": "Choose a response priority."})
    report_validate_complete(report)
    report_validate_values(report)
    if not _child_victims(report):
        raise ValidationError(
            {
                "allegations": "A screen-in needs at least one allegation whose alleged victim is under "
                f"{settings.KINDRED_CHILD_AGE_LIMIT} (record a date of birth or an approximate age)."
            }
        )
    now = timezone.now()
    report.decision, report.response_priority, report.decision_notes = Decision.SCREEN_IN, response_priority, notes
    report.screen_out_reason, report.return_comment = "", ""
    report.decided_by, report.decided_at = actor, now
    report.first_contact_due_at = response_due(report.received_at, response_priority)
    transition(
        report,
        "screen_in",
        actor=actor,
        comment=notes,
        save=[*DECISION_FIELDS, "response_priority", "first_contact_due_at"],
        audit_changes={
            "response_priority": report.get_response_priority_display(),
            "first_contact_due_at": report.first_contact_due_at.isoformat(),
        },
    )
    extensions.report_screened_in.call_all(actor=actor, report=report)
    return report


@transaction.atomic
def report_screen_out(*, actor: User, report: IntakeReport, reason: str, notes: str = "") -> IntakeReport:
    """Screen out: final only when a supervisor approves it."""
    access.require_capability(actor, "take_reports")
    report = report_lock(report)
    report_require_change(actor, report)
    IntakeReport.workflow.check(report, "screen_out")
    if reason not in ScreenOutReason.values:
        raise ValidationError({"screen_out_reason": "Choose why the report is screened out."})
    if reason == ScreenOutReason.OTHER and not notes.strip():
        raise ValidationError({"decision_notes": "Explain the reason 'other'."})
    report_validate_complete(report)
    report_validate_values(report)
    report.decision, report.screen_out_reason, report.decision_notes = Decision.SCREEN_OUT, reason, notes
    report.response_priority, report.return_comment = "", ""
    report.decided_by, report.decided_at = actor, timezone.now()
    transition(
        report,
        "screen_out",
        actor=actor,
        comment=notes,
        save=[*DECISION_FIELDS, "response_priority"],
        audit_changes={"reason": report.get_screen_out_reason_display()},
    )
    supervisor = report.unit.supervisor if report.unit_id else None
    notify_about(
        record=report,
        recipients=[supervisor],
        message=f"{report.reference}: a screen-out awaits your approval.",
        link=reverse("intake_detail", args=[report.public_id]),
        key=f"screen-out:{report.public_id}:{report.decided_at.isoformat()}",
    )
    return report


def _require_approver(actor: User, report: IntakeReport) -> None:
    access.require_capability(actor, "approve_screening")
    report_require_change(actor, report)


@transaction.atomic
def report_approve_screen_out(*, actor: User, report: IntakeReport, comment: str = "") -> IntakeReport:
    report = report_lock(report)
    _require_approver(actor, report)
    report.approved_by, report.approved_at = actor, timezone.now()
    transition(
        report,
        "approve_screen_out",
        actor=actor,
        comment=comment,
        save=["approved_by", "approved_at"],
        audit_reason=comment,
    )
    notify_about(
        record=report,
        recipients=[report.decided_by],
        message=f"{report.reference}: the screen-out was approved.",
        link=reverse("intake_detail", args=[report.public_id]),
        key=f"screen-out-approved:{report.public_id}",
    )
    return report


@transaction.atomic
def report_return(*, actor: User, report: IntakeReport, comment: str) -> IntakeReport:
    """A supervisor sends a report back to intake with a comment; it can then be edited and decided again."""
    report = report_lock(report)
    _require_approver(actor, report)
    report.decision, report.screen_out_reason = Decision.NONE, ""  # decided again once edited
    returned(
        report,
        move="return",
        actor=actor,
        comment=comment,
        refusal="Say what needs to change.",
        save=["decision", "screen_out_reason"],
        recipients=[report.decided_by or report.created_by],
        message=f"{report.reference} was returned by your supervisor.",
        link=reverse("intake_detail", args=[report.public_id]),
        key=f"returned:{report.public_id}:{timezone.now().isoformat()}",
    )
    return report


@transaction.atomic
def report_change_priority(*, actor: User, report: IntakeReport, response_priority: str, reason: str) -> IntakeReport:
    """A more urgent priority applies at once; a downgrade waits for a supervisor's approval."""
    report = report_lock(report)
    report_require_change(actor, report)
    if report.status != ReportStatus.SCREENED_IN:
        raise ValidationError("Only a screened-in report has a response priority to change.")
    if response_priority not in ResponsePriority.values or response_priority == report.response_priority:
        raise ValidationError({"response_priority": "Choose a different response priority."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the priority changes."})
    if PRIORITY_ORDER.index(response_priority) < PRIORITY_ORDER.index(report.response_priority):
        return _apply_priority(actor, report, response_priority, reason)
    if timezone.now() >= report.first_contact_due_at:
        raise ValidationError("The response deadline has passed; the priority can no longer be lowered.")
    report.requested_priority, report.priority_change_reason, report.priority_requested_by = (
        response_priority,
        reason,
        actor,
    )
    report.save(update_fields=["requested_priority", "priority_change_reason", "priority_requested_by"])
    log_action(
        actor=actor,
        action="cases.intakereport.downgrade_requested",
        target=report,
        reason=reason,
        changes={"requested_priority": report.get_requested_priority_display()},
    )
    notify_about(
        record=report,
        recipients=[report.unit.supervisor if report.unit_id else None],
        message=f"{report.reference}: a lower response priority awaits your approval.",
        link=reverse("intake_detail", args=[report.public_id]),
        key=f"downgrade:{report.public_id}:{response_priority}:{timezone.now().isoformat()}",
    )
    return report


def _apply_priority(actor: User, report: IntakeReport, priority: str, reason: str) -> IntakeReport:
    before = {
        "response_priority": report.response_priority,
        "first_contact_due_at": report.first_contact_due_at.isoformat(),
    }
    report.response_priority = priority
    report.first_contact_due_at = response_due(report.received_at, priority)
    report.requested_priority, report.priority_change_reason, report.priority_requested_by = "", "", None
    report.save(
        update_fields=[
            "response_priority",
            "first_contact_due_at",
            "requested_priority",
            "priority_change_reason",
            "priority_requested_by",
        ]
    )
    extensions.report_response_due_changed.call_all(report=report)
    after = {"response_priority": priority, "first_contact_due_at": report.first_contact_due_at.isoformat()}
    log_action(
        actor=actor,
        action="cases.intakereport.priority_changed",
        target=report,
        reason=reason,
        changes=diff(before, after),
    )
    return report


@transaction.atomic
def report_decide_downgrade(*, actor: User, report: IntakeReport, approve: bool, comment: str = "") -> IntakeReport:
    """The supervisor approves or refuses a requested downgrade, before the current deadline passes."""
    report = report_lock(report)
    _require_approver(actor, report)
    if not report.requested_priority:
        raise ValidationError("No priority change awaits approval.")
    if approve:
        if timezone.now() >= report.first_contact_due_at:
            raise ValidationError("The response deadline has passed; the priority can no longer be lowered.")
        return _apply_priority(actor, report, report.requested_priority, report.priority_change_reason)
    refused = report.get_requested_priority_display()
    report.requested_priority, report.priority_change_reason, report.priority_requested_by = "", "", None
    report.save(update_fields=["requested_priority", "priority_change_reason", "priority_requested_by"])
    log_action(
        actor=actor,
        action="cases.intakereport.downgrade_refused",
        target=report,
        reason=comment,
        changes={"requested_priority": refused},
    )
    return report

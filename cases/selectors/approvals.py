"""What of cases waits for a supervisor's decision, for the one approval queue (`records.approvals`):
proposed screen-outs, requested priority downgrades and case closure requests."""

from django.db.models import Prefetch
from django.urls import reverse

from accounts import access, naming
from accounts.models import User
from cases.choices import CaseStatus, ReportStatus
from cases.models import Allegation, Case, CaseTransition, IntakeReport
from cases.selectors.intake import AWAITING_APPROVAL
from records.approvals import ApprovalItem


def _children(report: IntakeReport) -> str:
    return ", ".join(sorted({allegation.victim.full_name for allegation in report.allegations.all()}))


def report_approvals(user: User) -> list[ApprovalItem]:
    """Screen-outs and downgrades of the units the user supervises: two queries whatever their number."""
    reports = naming.with_titles(
        access.visible(user, IntakeReport.objects.filter(unit__in=access.supervising_units(user)))
        .filter(AWAITING_APPROVAL)
        .select_related("decided_by", "priority_requested_by")
        .prefetch_related(
            Prefetch(
                "allegations",
                queryset=Allegation.objects.filter(withdrawn_at__isnull=True).select_related("victim"),
            )
        )
    )
    items = []
    for report in reports:
        if report.status == ReportStatus.AWAITING_APPROVAL:
            items.append(
                ApprovalItem(
                    kind="Screen-out",
                    reference=report.reference,
                    name=_children(report),
                    asked=f"Approve the screen-out: {report.get_screen_out_reason_display()}",
                    asked_by=report.decided_by,
                    asked_at=report.decided_at,
                    due_at=None,
                    url=reverse("intake_review", args=[report.public_id]),
                    audit_record=report,
                )
            )
        else:
            items.append(
                ApprovalItem(
                    kind="Priority downgrade",
                    reference=report.reference,
                    name=_children(report),
                    asked=f"Lower the response priority to {report.get_requested_priority_display()}",
                    asked_by=report.priority_requested_by,
                    asked_at=None,
                    # Decided before the current first-contact deadline passes, or it no longer matters.
                    due_at=report.first_contact_due_at,
                    url=reverse("intake_priority", args=[report.public_id]),
                    audit_record=report,
                )
            )
    return items


def case_closure_approvals(user: User) -> list[ApprovalItem]:
    """Case closures requested in the units the user supervises: two queries whatever their number."""
    cases = naming.with_titles(
        access.visible(user, Case.objects.filter(unit__in=access.supervising_units(user)))
        .filter(status=CaseStatus.CLOSURE_REQUESTED)
        .select_related("closure_requested_by")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=CaseTransition.objects.filter(to_status=CaseStatus.CLOSURE_REQUESTED),
                to_attr="requests",
            )
        )
    )
    return [
        ApprovalItem(
            kind="Case closure",
            reference=case.reference,
            name=case.family_name,
            asked=f"Approve the closure: {case.get_closure_reason_display()}",
            asked_by=case.closure_requested_by,
            asked_at=case.requests[-1].at if case.requests else None,
            due_at=None,
            url=reverse("case_review_closure", args=[case.public_id]),
            audit_record=case,
        )
        for case in cases
    ]

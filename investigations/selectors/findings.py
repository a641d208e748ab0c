"""Reads of an investigation's findings and closure: the allegations with their findings, what closing still
needs, the page's section, and what waits for a supervisor's approval."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse

from accounts import access, naming
from accounts.models import User
from cases.models import Allegation
from investigations.choices import FINDING_ORDER, InvestigationStatus
from investigations.models import AllegationFinding, Investigation, InvestigationTransition
from investigations.selectors.facts import InvestigationFacts
from investigations.selectors.facts import open_allegations as open_allegations  # the findings' services read it here
from records.approvals import ApprovalItem
from records.workflow import may

# Statuses in which the findings stand approved (closure may be asked for, or was).
APPROVED_STATUSES = (
    InvestigationStatus.FINDINGS_APPROVED,
    InvestigationStatus.CLOSURE_REQUESTED,
    InvestigationStatus.CLOSED,
)


@dataclass(frozen=True)
class AllegationRow:
    """One allegation of the investigation's report with its finding (None until one is recorded)."""

    allegation: Allegation
    finding: AllegationFinding | None


def allegation_rows(investigation: Investigation, facts: InvestigationFacts | None = None) -> list[AllegationRow]:
    """Each standing allegation with its finding: one query (none with `facts` that loaded them)."""
    facts = facts or InvestigationFacts(investigation)
    return [
        AllegationRow(allegation=allegation, finding=getattr(allegation, "finding", None))
        for allegation in facts.allegations
    ]


def disposition_of(findings: list[str]) -> str:
    """The investigation's disposition: the most serious of its allegations' findings ("" when none)."""
    return min(findings, key=FINDING_ORDER.index, default="")


def closure_missing(investigation: Investigation, facts: InvestigationFacts | None = None) -> list[str]:
    """What closing the investigation still needs, each piece named: approved findings, a safety assessment,
    a risk assessment, a met or excused first-contact deadline for every alleged child victim, and the
    cross-report where one is required. Empty when it may close. Five queries whatever the children (none of
    what `facts` loaded already)."""
    facts = facts or InvestigationFacts(investigation)
    missing = []
    if investigation.status not in APPROVED_STATUSES or investigation.findings_approved_at is None:
        missing.append("approved findings")
    if not facts.safety_assessments:
        missing.append("a safety assessment")
    if not facts.risk_assessments:
        missing.append("a risk assessment")
    answered = {
        deadline.person_id
        for deadline in facts.child_deadlines
        if deadline.met_at is not None or deadline.excused_at is not None
    }
    victims = {allegation.victim_id: allegation.victim for allegation in facts.allegations}
    for person_id, victim in victims.items():
        if person_id not in answered:
            missing.append(f"a first face-to-face contact with {victim.full_name} (met, or excused with a reason)")
    if investigation.cross_report_due_at is not None and not facts.cross_reports:
        missing.append("the cross-report to law enforcement")
    return missing


def closure_refusal(missing: list[str]) -> str:
    """The one message that names everything closing still needs."""
    return f"The investigation cannot close yet. It still needs: {'; '.join(missing)}."


def page_section(
    investigation: Investigation,
    user: User,
    *,
    facts: InvestigationFacts | None = None,
    decisions: access.RecordDecisions | None = None,
) -> dict:
    """What the investigation page shows of its findings and closure, and the actions the viewer may take
    (a fixed number of queries, whatever the number of allegations; fewer with the page's `facts` and
    `decisions`, which the other sections share)."""
    facts = facts or InvestigationFacts(investigation)
    decisions = decisions or access.decisions(user, investigation)
    changes = decisions.can_change
    supervises = decisions.may_supervise
    closed = investigation.status == InvestigationStatus.CLOSED
    return {
        "findings": {
            "rows": allegation_rows(investigation, facts),
            "missing": [] if closed else closure_missing(investigation, facts),
            "may_record": changes and investigation.status == InvestigationStatus.IN_PROGRESS,
            "may_submit": changes and may(investigation, "submit_findings"),
            "may_review": supervises and may(investigation, "approve_findings"),
            "may_reopen": changes and may(investigation, "reopen_findings"),
            "may_request_closure": changes and may(investigation, "request_closure"),
            "may_review_closure": supervises and may(investigation, "approve_closure"),
            "case_visible": bool(investigation.opened_case_id and access.can_view(user, investigation.opened_case)),
        }
    }


# What waits for a supervisor: findings submitted, and closures requested.


def _name(investigation: Investigation) -> str:
    victims = {allegation.victim.full_name for allegation in investigation.report.allegations.all()}
    return ", ".join(sorted(victims))


def pending_approvals(user: User) -> list[ApprovalItem]:
    """The investigations of the units the user supervises whose findings or closure await their decision
    (registered in `records.approvals`): three queries whatever their number."""
    waiting = naming.with_titles(
        access.visible(
            user,
            Investigation.objects.filter(
                unit__in=access.supervising_units(user),
                status__in=(InvestigationStatus.FINDINGS_SUBMITTED, InvestigationStatus.CLOSURE_REQUESTED),
            ),
        )
        .select_related("report", "closure_requested_by")
        .prefetch_related(
            Prefetch(
                "report__allegations",
                queryset=Allegation.objects.filter(withdrawn_at__isnull=True).select_related("victim"),
            ),
            Prefetch(
                "transitions",
                queryset=InvestigationTransition.objects.filter(
                    to_status=InvestigationStatus.FINDINGS_SUBMITTED
                ).select_related("by"),
                to_attr="submissions",
            ),
        )
    )
    items = []
    for investigation in waiting:
        if investigation.status == InvestigationStatus.FINDINGS_SUBMITTED:
            submission = investigation.submissions[-1] if investigation.submissions else None
            items.append(
                ApprovalItem(
                    kind="Investigation findings",
                    reference=investigation.reference,
                    name=_name(investigation),
                    asked=f"Approve the findings ({investigation.get_disposition_display().lower()})",
                    asked_by=submission.by if submission else None,
                    asked_at=investigation.findings_submitted_at,
                    due_at=investigation.closure_due_at,
                    url=reverse("investigation_findings_review", args=[investigation.public_id]),
                    audit_record=investigation,
                )
            )
        else:
            items.append(
                ApprovalItem(
                    kind="Investigation closure",
                    reference=investigation.reference,
                    name=_name(investigation),
                    asked=f"Approve the closure: {investigation.get_closure_outcome_display()}",
                    asked_by=investigation.closure_requested_by,
                    asked_at=investigation.closure_requested_at,
                    due_at=investigation.closure_due_at,
                    url=reverse("investigation_closure_review", args=[investigation.public_id]),
                    audit_record=investigation,
                )
            )
    return items

"""My work and a caseload's visit status."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    F,
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts import access, naming
from cases import visit_rule
from cases.choices import CaseStatus, ReportStatus, VisitStatus
from cases.models import Case, CaseMember, IntakeReport
from investigations.choices import InvestigationStatus
from investigations.models import Investigation
from investigations.selectors.deadlines import with_deadline_states, with_nearest_deadline
from reporting.selectors.scope import assigned_to, open_case_rows, with_visit_status

# --- My work and caseload visit status -------------------------------------------------------


def caseload_visit_rows(user, members: QuerySet) -> QuerySet:
    """Members (of cases the user may see) with their visit status, case and person, the most urgent
    first: overdue (oldest due date first), then due soon (soonest first), then the rest."""
    return with_visit_status(members.filter(case__in=access.visible(user, Case.objects.all())))


def caseload_members(user, *, mine_only: bool = False) -> QuerySet:
    """Active members of the open cases the user may see (or only of those assigned to them)."""
    cases = access.visible(user, Case.objects.exclude(status=CaseStatus.CLOSED))
    if mine_only:
        cases = cases.filter(assigned_to([user.pk]))
    return CaseMember.objects.filter(case__in=cases, ended_on__isnull=True)


def visit_status_q(status: str, today: date) -> Q:
    """The members in one visit status, as a filter the partial index on due dates can serve."""
    return {
        VisitStatus.OVERDUE: visit_rule.overdue_q(today),
        VisitStatus.DUE_SOON: visit_rule.due_soon_q(today),
    }[status]


@dataclass(frozen=True)
class MyWork:
    cases: list
    members: list
    investigations: list
    returned_cases: list
    returned_reports: list
    now: datetime

    @property
    def returned_count(self) -> int:
        return len(self.returned_cases) + len(self.returned_reports)

    def shown(self) -> list:
        """Every record the page shows, for its one audit row (`accounts.audit.log_list_read`)."""
        return [*self.cases, *self.members, *self.investigations, *self.returned_cases, *self.returned_reports]


def my_work(user) -> MyWork:
    """A worker's day: their open cases, every member overdue or due soon, their investigations'
    deadlines, and what the supervisor returned to them, named for people. Seven queries whatever the caseload."""
    today = timezone.localdate()
    mine = access.visible(user, Case.objects.exclude(status=CaseStatus.CLOSED)).filter(assigned_to([user.pk]))
    cases = open_case_rows(mine, today).annotate(my_role=F("assignments__role"))
    members = with_visit_status(CaseMember.objects.filter(case__in=mine)).filter(
        visit_rule.overdue_q(today) | visit_rule.due_soon_q(today)
    )
    investigations = naming.with_titles(
        with_nearest_deadline(
            access.visible(user, Investigation.objects.filter(assigned_worker=user)).exclude(
                status=InvestigationStatus.CLOSED
            )
        )
        .select_related("report")
        .order_by(F("nearest_deadline_at").asc(nulls_last=True), "response_due_at")
    )
    returned_cases = access.visible(
        user, Case.objects.filter(status=CaseStatus.OPEN, closure_requested_by=user).exclude(return_comment="")
    ).order_by("family_name")
    returned_reports = naming.with_titles(
        access.visible(user, IntakeReport.objects.filter(status=ReportStatus.RETURNED))
        .filter(Q(decided_by=user) | Q(decided_by__isnull=True, created_by=user))
        .order_by("received_at", "created_at")
    )
    return MyWork(
        cases=list(cases),
        members=list(members),
        investigations=with_deadline_states(investigations),
        returned_cases=list(returned_cases),
        returned_reports=list(returned_reports),
        now=timezone.now(),
    )

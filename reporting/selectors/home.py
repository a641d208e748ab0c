"""The home page: each role's work queue, a fixed number of queries whatever the caseload.

A caseworker sees My work; a screener the reports to finish, awaiting a decision and returned; a
supervisor the approvals waiting, the investigations to assign and the unit's overdue visits and
deadlines; a program manager or auditor the agency's figures; an administrator the staff tasks. Someone
holding several roles sees each of their queues.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts import access, naming
from accounts.selectors import StaffTasks, staff_tasks
from cases.choices import OPEN_STATUSES, ReportStatus
from cases.models import IntakeReport
from investigations.choices import InvestigationStatus
from investigations.models import Investigation
from records.approvals import approvals_for
from reporting.selectors.dashboard import unit_dashboard
from reporting.selectors.my_work import MyWork, my_work
from reporting.selectors.scope import Figures, Scope

# Rows each queue shows on the home page; its full list is one link away.
HOME_ROWS = 8


@dataclass(frozen=True)
class Queue:
    """Some rows of a work queue and how many it holds."""

    rows: list
    count: int


@dataclass(frozen=True)
class IntakeHome:
    drafts: Queue
    awaiting_decision: Queue
    returned: Queue


@dataclass(frozen=True)
class SupervisorHome:
    totals: Figures
    approvals: Queue
    to_assign: Queue


@dataclass(frozen=True)
class Home:
    my_work: MyWork | None = None
    intake: IntakeHome | None = None
    supervision: SupervisorHome | None = None
    agency: Figures | None = None
    staff: StaffTasks | None = None

    @property
    def visits_first(self) -> list:
        """The members whose visits are due first, as the page lists them."""
        return list(self.my_work.members[:HOME_ROWS]) if self.my_work else []

    @property
    def investigations_first(self) -> list:
        return list(self.my_work.investigations[:HOME_ROWS]) if self.my_work else []

    def shown(self) -> list:
        """Every case record the page names, for its one audit row (`accounts.audit.log_list_read`)."""
        rows = [*self.visits_first, *self.investigations_first]
        if self.intake:
            rows += [*self.intake.drafts.rows, *self.intake.awaiting_decision.rows, *self.intake.returned.rows]
        if self.supervision:
            rows += [*self.supervision.approvals.rows, *self.supervision.to_assign.rows]
        return rows


def _intake_home(user) -> IntakeHome:
    """A screener's reports: their drafts, those awaiting a screening decision, and those returned to them."""
    # Every queue is of open reports: their index, not a scan of the agency's history.
    reports = access.visible(user, IntakeReport.objects.filter(status__in=OPEN_STATUSES))
    filters = {
        "drafts": Q(status=ReportStatus.DRAFT, created_by=user),
        "awaiting_decision": Q(status=ReportStatus.AWAITING_DECISION),
        "returned": Q(status=ReportStatus.RETURNED)
        & (Q(decided_by=user) | Q(decided_by__isnull=True, created_by=user)),
    }
    counts = reports.aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    ordering = ("received_at", "created_at")
    return IntakeHome(
        **{
            name: Queue(
                rows=list(naming.with_titles(reports.filter(q)).order_by(*ordering)[:HOME_ROWS]), count=counts[name]
            )
            for name, q in filters.items()
        }
    )


def _supervisor_home(user) -> SupervisorHome:
    scope = Scope.build(user=user, units=access.supervising_units(user))
    # The one approval queue (`records.approvals`): cases', reports' and investigations' decisions alike.
    approvals = approvals_for(user)
    unassigned = access.visible(
        user, Investigation.objects.filter(unit__in=scope.units, status=InvestigationStatus.AWAITING_ASSIGNMENT)
    )
    return SupervisorHome(
        totals=unit_dashboard(scope, workers=[]).totals,
        approvals=Queue(rows=approvals[:HOME_ROWS], count=len(approvals)),
        to_assign=Queue(
            rows=list(naming.with_titles(unassigned).order_by("response_due_at")[:HOME_ROWS]),
            count=unassigned.count(),
        ),
    )


def home(user) -> Home:
    """The queues of every role the user holds."""
    agency = None
    if access.has_capability(user, "read_across_units"):
        agency = unit_dashboard(Scope.build(user=user, units=access.overseen_units(user)), workers=[]).totals
    return Home(
        my_work=my_work(user) if access.has_capability(user, "carry_caseload") else None,
        intake=_intake_home(user) if access.has_capability(user, "take_reports") else None,
        supervision=_supervisor_home(user) if access.has_capability(user, "supervise_units") else None,
        agency=agency,
        staff=staff_tasks(user=user) if access.has_capability(user, "manage_staff") else None,
    )

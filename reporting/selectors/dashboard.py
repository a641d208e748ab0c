"""The unit dashboard's figures and the list behind each one (the drill-downs)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts import access, naming
from accounts.models import User
from cases import visit_rule
from cases.choices import CaseStatus, ContactLocation, ContactType, MemberRole, ReportStatus
from cases.models import CaseMember, Contact, IntakeReport
from cases.selectors.intake import AWAITING_APPROVAL
from investigations.choices import InvestigationStatus
from investigations.models import Investigation
from investigations.selectors.deadlines import with_nearest_deadline
from reporting import figures as dashboard_figures
from reporting.selectors.scope import (
    CHART_MONTHS,
    Federal,
    Figures,
    Month,
    MonthFigure,
    Scope,
    assigned_to,
    caseworkers,
    child_q,
    open_case_rows,
    with_visit_status,
)

# --- the filters behind the figures ----------------------------------------------------------


def _member_figures(today: date) -> dict[str, Q]:
    """The figures that count members of the open cases, each one filter: the dashboard's SQL is compiled
    from it (`dashboard_figures.member_condition`) and its drill-down lists with it."""
    return {
        "children": child_q(),
        "overdue": visit_rule.overdue_q(today),
        "due_soon": visit_rule.due_soon_q(today),
        "requiring": visit_rule.requiring_q(),
        "seen": visit_rule.seen_q(today),
        "not_yet_due": visit_rule.not_yet_due_q(today),
    }


def _in_care_q(first: date, next_first: date, start: datetime, end: datetime) -> Q:
    """Child members in out-of-home care, on the case, with the case open, at some time between the days
    `first` and `next_first` (exclusive), that is the moments `start` and `end`."""
    return (
        Q(role=MemberRole.CHILD, in_care_since__lt=next_first, started_on__lt=next_first, case__opened_at__lt=end)
        & (Q(in_care_until__isnull=True) | Q(in_care_until__gte=first))
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        & (Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=start))
    )


def _in_care(members: QuerySet, first: Month, last: Month | None = None) -> QuerySet:
    """The federal measure's children: in out-of-home care at some time in these months."""
    last = last or first
    return members.filter(_in_care_q(first.first, last.next_first, first.start, last.end))


SEEN = "person__contacts_seen_in"


def _visit_join(first: Month, last: Month | None = None) -> dict:
    """Join a member to the face-to-face visits on their case that saw them in these months (one filter call)."""
    last = last or first
    return {
        f"{SEEN}__case": F("case"),
        f"{SEEN}__contact_type": ContactType.FACE_TO_FACE,
        f"{SEEN}__occurred_at__gte": first.start,
        f"{SEEN}__occurred_at__lt": last.end,
    }


def _visits_in(month: Month) -> QuerySet:
    """Face-to-face visits on the member's case that saw them in the month (for OuterRef on a member)."""
    return Contact.objects.filter(
        case=OuterRef("case_id"),
        people_seen=OuterRef("person_id"),
        contact_type=ContactType.FACE_TO_FACE,
        occurred_at__gte=month.start,
        occurred_at__lt=month.end,
    )


def _count_subquery(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("case").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _visits_this_month(scope: Scope) -> QuerySet:
    return Contact.objects.filter(
        scope.in_view("case_id"),
        contact_type=ContactType.FACE_TO_FACE,
        occurred_at__gte=scope.month.start,
        occurred_at__lt=scope.month.end,
    )


def _investigations_past_due(scope: Scope) -> QuerySet:
    """Open investigations with a deadline passed unmet (a child's first contact, the safety assessment, the
    cross-report, the closure), annotated with the earliest such deadline and its kind."""
    investigations = access.visible(scope.user, Investigation.objects.filter(unit__in=scope.units))
    return with_nearest_deadline(investigations).filter(nearest_deadline_at__lt=scope.now)


def _closures_awaiting(scope: Scope) -> QuerySet:
    return scope.cases().filter(status=CaseStatus.CLOSURE_REQUESTED)


def _reports_awaiting(scope: Scope) -> QuerySet:
    """Reports of the units awaiting a supervisor: screen-outs, and requested priority downgrades."""
    requester = SqlCase(
        When(status=ReportStatus.AWAITING_APPROVAL, then=F("decided_by")), default=F("priority_requested_by")
    )
    reports = access.visible(scope.user, IntakeReport.objects.filter(unit__in=scope.units))
    return reports.filter(AWAITING_APPROVAL).annotate(requester=requester)


def _investigations_awaiting(scope: Scope) -> QuerySet:
    """Investigations of the units whose findings or closure await the supervisor (as `records.approvals`
    lists them), annotated with who asked: the closure's requester, else the worker who submitted findings."""
    requester = SqlCase(
        When(status=InvestigationStatus.CLOSURE_REQUESTED, then=F("closure_requested_by")),
        default=F("assigned_worker"),
    )
    investigations = access.visible(scope.user, Investigation.objects.filter(unit__in=scope.units))
    waiting = (InvestigationStatus.FINDINGS_SUBMITTED, InvestigationStatus.CLOSURE_REQUESTED)
    return investigations.filter(status__in=waiting).annotate(requester=requester)


def _grouped_count(queryset: QuerySet, who: str) -> QuerySet:
    """The queryset's rows counted per value of `who`, as `dashboard_figures` takes them."""
    return queryset.values(who=F(who)).annotate(n=Count("pk")).order_by()


# --- the unit dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnitDashboard:
    month: Month
    rows: list[Figures]
    totals: Figures
    chart: list[MonthFigure]


def _chart_months(month: Month, months: int = CHART_MONTHS) -> list[Month]:
    """The `months` calendar months up to this one, the oldest first."""
    return [month.shifted(offset) for offset in range(1 - months, 1)]


def _month_key(value: Any) -> date:
    """A month's first day as the database returns it (SQLite, through a raw cursor, as text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _federal(care: list | None, seen: list | None) -> Federal:
    """The measure from the children-in-care count and the (visited, visits, in_residence) counts."""
    visited, visits, in_residence = (seen or [0, 0, 0])[:3]
    return Federal(child_months=(care or [0])[0], visited=visited, visits=visits, in_residence=in_residence)


def unit_dashboard(scope: Scope, workers: list[User] | None = None) -> UnitDashboard:
    """Per worker (the units' active caseworkers, or these of them: a page) and for the units: caseload,
    the visit rule, visits, the federal measure, investigations past due, approvals waiting; and the
    federal measure for each of the last 12 months. One statement whatever the caseload
    (`dashboard_figures`), after the cases in view."""
    workers = list(caseworkers(scope.units)) if workers is None else workers
    window = _chart_months(scope.month)
    member_figures = _member_figures(scope.today)
    case_figures = ("cases", *member_figures)
    counted: dict[str, dict[Any, list]] = {}
    for figure, who, month, *counts in dashboard_figures.unit_figures(
        case_ids=scope.case_ids,
        worker_ids=[worker.pk for worker in workers],
        member_figures=member_figures,
        months=window,
        grouped={
            "investigations": _grouped_count(_investigations_past_due(scope), "assigned_worker"),
            "reports": _grouped_count(_reports_awaiting(scope), "requester"),
            "investigation_approvals": _grouped_count(_investigations_awaiting(scope), "requester"),
        },
    ):
        key = _month_key(month) if month is not None else who
        counted.setdefault(figure, {})[key] = counts

    def of(figure: str) -> dict[Any, list]:
        return counted.get(figure, {})

    def total(figure: str, index: int = 0) -> int:
        return sum(counts[index] for counts in of(figure).values())

    def one(figure: str, who: Any) -> int:
        return of(figure).get(who, [0])[0]

    chart = [
        MonthFigure(month=month, federal=_federal(of("care").get(month.first), of("care_visits").get(month.first)))
        for month in window
    ]
    # Closures awaiting approval are their requester's: the count after the requester's open cases' figures.
    closures = {who: counts[len(case_figures)] for who, counts in of("requester_cases").items()}
    empty_cases = [0] * len(case_figures)
    rows = [
        Figures(
            worker=worker,
            **dict(zip(case_figures, of("worker_cases").get(worker.pk, empty_cases), strict=False)),
            visits=one("visits", worker.pk),
            federal=_federal(of("worker_care").get(worker.pk), of("worker_care_visits").get(worker.pk)),
            investigations_past_due=one("investigations", worker.pk),
            approvals=closures.get(worker.pk, 0)
            + one("reports", worker.pk)
            + one("investigation_approvals", worker.pk),
        )
        for worker in workers
    ]
    totals = Figures(
        worker=None,
        **{name: total("requester_cases", index) for index, name in enumerate(case_figures)},
        visits=total("visits"),
        federal=chart[-1].federal,
        investigations_past_due=total("investigations"),
        approvals=sum(closures.values()) + total("reports") + total("investigation_approvals"),
    )
    return UnitDashboard(month=scope.month, rows=rows, totals=totals, chart=chart)


# --- drill-downs: the list behind each number ----------------------------------------------------

METRICS = {
    "cases": "Open cases",
    "children": "Children on open cases",
    "overdue": "Members overdue for a face-to-face visit",
    "due_soon": "Members due soon for a face-to-face visit",
    "requiring": "Members who must be seen face to face every {days} days",
    "seen": "Members seen face to face within {days} days",
    "not_yet_due": "Members not seen within {days} days whose visit is not yet due",
    "visits": "Face-to-face visits recorded in {month}",
    "child_months": "Children in out-of-home care in {month}",
    "not_visited": "Children in out-of-home care not visited in {month}",
    "care_visits": "Visits to children in out-of-home care in {month}",
    "investigations": "Investigations with a deadline passed unmet",
    "approvals": "Awaiting the supervisor's approval",
}
# Which list template shows each metric's rows (templates/cases/dashboard_<kind>.html).
METRIC_KINDS = {
    "cases": "cases",
    "children": "members",
    "overdue": "members",
    "due_soon": "members",
    "requiring": "members",
    "seen": "members",
    "not_yet_due": "members",
    "visits": "visits",
    "child_months": "child_months",
    "not_visited": "child_months",
    "care_visits": "care_visits",
    "investigations": "investigations",
    "approvals": "approvals",
}


@dataclass(frozen=True)
class ApprovalItem:
    kind: str
    record: Any
    reference: str
    url_name: str
    public_id: Any
    requested_by: User | None
    detail: str
    # The case or report awaiting approval: the drill-down's audit row names it (accounts.audit.log_list_read).
    audit_record: Any = None


@dataclass(frozen=True)
class Drilldown:
    metric: str
    title: str
    kind: str
    rows: Any  # a QuerySet, or a list for approvals


def drilldown(scope: Scope, metric: str, worker: User | None = None) -> Drilldown:
    """The rows behind one dashboard number, for the units or for one worker: exactly as many as the number."""
    if metric not in METRICS:
        raise Http404
    workers = [worker.pk] if worker else None
    open_cases = scope.open_cases()
    members = scope.members()
    if workers:
        open_cases = open_cases.filter(assigned_to(workers))
        members = members.filter(assigned_to(workers, "case__"))
    open_members = CaseMember.objects.filter(case__in=open_cases)
    member_figures = _member_figures(scope.today)
    month = scope.month
    rows: Any
    if metric == "cases":
        rows = open_case_rows(open_cases, scope.today)
    elif metric in member_figures:
        rows = with_visit_status(open_members.filter(member_figures[metric]))
    elif metric == "visits":
        visits = _visits_this_month(scope)
        if worker:
            visits = visits.filter(recorded_by=worker)
        rows = visits.select_related("case", "recorded_by").prefetch_related("people_seen").order_by("-occurred_at")
    elif metric in ("child_months", "not_visited"):
        children = _in_care(members, month).annotate(
            visited=Exists(_visits_in(month)),
            visits=_count_subquery(_visits_in(month)),
            in_residence=_count_subquery(_visits_in(month).filter(location=ContactLocation.RESIDENCE)),
        )
        if metric == "not_visited":
            children = children.filter(visited=False)
        rows = children.select_related("case", "person").order_by("visited", "case__family_name", "person__last_name")
    elif metric == "care_visits":
        rows = (
            _in_care(members, month)
            .filter(**_visit_join(month))
            .annotate(
                visit_at=F(f"{SEEN}__occurred_at"),
                visit_location=F(f"{SEEN}__location"),
                visit_id=F(f"{SEEN}__public_id"),
            )
            .select_related("case", "person")
            .order_by("-visit_at", "person__last_name")
        )
    elif metric == "investigations":
        investigations = _investigations_past_due(scope)
        if worker:
            investigations = investigations.filter(assigned_worker=worker)
        rows = naming.with_titles(
            investigations.select_related("report", "unit", "assigned_worker").order_by("nearest_deadline_at", "pk")
        )
    else:
        rows = approval_items(scope, worker)
    title = METRICS[metric].format(month=month.label, days=settings.KINDRED_VISIT_INTERVAL_DAYS)
    return Drilldown(metric=metric, title=title, kind=METRIC_KINDS[metric], rows=rows)


def approval_items(scope: Scope, worker: User | None = None) -> list[ApprovalItem]:
    """What awaits the supervisor's approval in the units (or from one worker): case closures, screen-outs,
    priority downgrades and investigations' findings and closures, each named for the viewer. Seven queries."""
    closures = naming.with_titles(
        _closures_awaiting(scope).select_related("closure_requested_by").order_by("family_name", "pk")
    )
    reports = naming.with_titles(
        _reports_awaiting(scope)
        .select_related("decided_by", "priority_requested_by")
        .order_by("first_contact_due_at", "received_at", "pk")
    )
    investigations = naming.with_titles(
        _investigations_awaiting(scope)
        .select_related("report", "assigned_worker", "closure_requested_by")
        .order_by("pk")
    )
    if worker:
        closures = closures.filter(closure_requested_by=worker)
        reports = reports.filter(requester=worker.pk)
        investigations = investigations.filter(requester=worker.pk)
    items = [
        ApprovalItem(
            kind="Case closure",
            record=case,
            reference=case.reference,
            url_name="case_detail",
            public_id=case.public_id,
            requested_by=case.closure_requested_by,
            detail=case.get_closure_reason_display(),
            audit_record=case,
        )
        for case in closures
    ]
    for report in reports:
        if report.status == ReportStatus.AWAITING_APPROVAL:
            kind, by, detail = "Screen-out", report.decided_by, report.get_screen_out_reason_display()
        else:
            kind, by, detail = (
                "Priority downgrade",
                report.priority_requested_by,
                report.get_requested_priority_display(),
            )
        items.append(
            ApprovalItem(
                kind=kind,
                record=report,
                reference=report.reference,
                url_name="intake_detail",
                public_id=report.public_id,
                requested_by=by,
                detail=detail,
                audit_record=report,
            )
        )
    for investigation in investigations:
        closure = investigation.status == InvestigationStatus.CLOSURE_REQUESTED
        items.append(
            ApprovalItem(
                kind="Investigation closure" if closure else "Investigation findings",
                record=investigation,
                reference=investigation.reference,
                url_name="investigation_detail",
                public_id=investigation.public_id,
                requested_by=investigation.closure_requested_by if closure else investigation.assigned_worker,
                detail=investigation.get_closure_outcome_display()
                if closure
                else investigation.get_disposition_display(),
                audit_record=investigation,
            )
        )
    return items

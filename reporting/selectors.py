"""Reads for My work and the unit dashboard: every figure, and the list behind each one.

A figure is one filter over one model (cases, members, contacts, investigations, ...) within
the cases the viewer may see in the units in view, optionally narrowed to one worker. The
dashboard counts every worker at once in one SQL statement (`dashboard_figures`), whatever the
caseload; a drill-down lists the rows with the ORM filters below. Both are written from the
definitions here, and the tests hold every number equal to the length of its list.

Who is credited with what: a worker with the open cases they hold an active assignment on
(primary or secondary, so a shared case counts for both) and those cases' members, the visits
they recorded, the investigations assigned to them, and the approvals they asked for. Unit
totals count each item once, the same way, over all the units' cases.

The federal (CFSR) measure: a child-month is a calendar month in which a child on a case was in
out-of-home care (in_care_since .. in_care_until) while on the case and the case was open. It is
visited when a face-to-face visit on that case saw the child during the month. The share in the
child's residence is taken over all those visits.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from accounts import access
from accounts.models import Unit, User
from cases import visit_rule
from cases.choices import CaseStatus, ContactLocation, ContactType, MemberRole, ReportStatus, VisitStatus
from cases.models import Case, CaseMember, Contact, IntakeReport
from cases.selectors.intake import AWAITING_APPROVAL
from common.sql import AmongIds
from investigations.choices import InvestigationStatus
from investigations.models import Investigation, InvestigationContact
from reporting import figures as dashboard_figures

CHART_MONTHS = 12
# Up to this many cases in view, their ids are fetched once and passed to every figure's query.
CASE_IDS_FETCHED = 5_000

_URGENCY = {VisitStatus.OVERDUE: 0, VisitStatus.DUE_SOON: 1, VisitStatus.VISITED: 2, VisitStatus.EXCUSED: 3}


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month in the agency's time zone."""

    first: date

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.replace(day=1))

    @classmethod
    def current(cls) -> "Month":
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, text: str | None) -> "Month":
        """A month from `YYYY-MM`; the current month when absent, malformed or in the future."""
        current = cls.current()
        try:
            year, month = (int(part) for part in (text or "").split("-"))
            parsed = cls(date(year, month, 1))
        except ValueError:
            return current
        return min(parsed, current)

    def shifted(self, months: int) -> "Month":
        index = self.first.year * 12 + self.first.month - 1 + months
        return Month(date(index // 12, index % 12 + 1, 1))

    @cached_property
    def next_first(self) -> date:
        return self.shifted(1).first

    @cached_property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @cached_property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.next_first, time.min))

    @cached_property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"

    @cached_property
    def label(self) -> str:
        return date_format(self.first, "F Y")

    @cached_property
    def short_label(self) -> str:
        return date_format(self.first, "M")


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _whole_percent(part: int, whole: int) -> int | None:
    """For display, rounded down: 94.9% shows as 94%, below a 95% target, never as 95% or 100%."""
    return 100 * part // whole if whole else None


@dataclass(frozen=True)
class Federal:
    """The federal monthly visit measure over some child-months."""

    child_months: int = 0
    visited: int = 0
    visits: int = 0
    in_residence: int = 0

    @property
    def not_visited(self) -> int:
        return self.child_months - self.visited

    @property
    def visited_rate(self) -> float | None:
        return _percent(self.visited, self.child_months)

    @property
    def in_residence_rate(self) -> float | None:
        return _percent(self.in_residence, self.visits)

    @property
    def visited_percent(self) -> int | None:
        return _whole_percent(self.visited, self.child_months)

    @property
    def in_residence_percent(self) -> int | None:
        return _whole_percent(self.in_residence, self.visits)

    @property
    def meets_visited_target(self) -> bool:
        rate = self.visited_rate
        return rate is not None and rate >= 100 * settings.KINDRED_FEDERAL_VISITED_TARGET

    @property
    def meets_residence_target(self) -> bool:
        rate = self.in_residence_rate
        return rate is not None and rate > 100 * settings.KINDRED_FEDERAL_IN_RESIDENCE_TARGET


@dataclass(frozen=True)
class MonthFigure:
    month: Month
    federal: Federal


@dataclass(frozen=True)
class Figures:
    """One row of the dashboard: a worker's figures, or (worker None) the units' totals."""

    worker: User | None
    cases: int = 0
    children: int = 0
    overdue: int = 0
    due_soon: int = 0
    requiring: int = 0
    seen: int = 0
    not_yet_due: int = 0
    visits: int = 0
    federal: Federal = field(default_factory=Federal)
    investigations_past_due: int = 0
    approvals: int = 0

    @property
    def compliant(self) -> int:
        """Members who must be visited and are not overdue: seen within the interval, or not yet due."""
        return self.requiring - self.overdue

    @property
    def compliance_rate(self) -> float | None:
        return _percent(self.compliant, self.requiring)

    @property
    def seen_rate(self) -> float | None:
        """Of the members who must be visited, the share seen face to face within the interval."""
        return _percent(self.seen, self.requiring)

    @property
    def seen_percent(self) -> int | None:
        return _whole_percent(self.seen, self.requiring)


@dataclass(frozen=True)
class Scope:
    """What a dashboard looks at: the cases the viewer may see in these units, in this month."""

    user: User
    units: QuerySet
    month: Month
    today: date
    now: datetime

    @classmethod
    def build(cls, *, user: User, units: QuerySet, month: Month | None = None) -> "Scope":
        return cls(
            user=user, units=units, month=month or Month.current(), today=timezone.localdate(), now=timezone.now()
        )

    @cached_property
    def case_ids(self) -> list[int] | RawSQL:
        """The cases the viewer may see in these units, for every figure to filter on: a unit's or a few
        units' ids, fetched once (the planner then need not plan the policy's subqueries in every
        query); beyond CASE_IDS_FETCHED, the policy's SQL, compiled once."""
        visible = access.visible(self.user, Case.objects.filter(unit__in=self.units)).values_list("pk", flat=True)
        ids = list(visible.order_by()[: CASE_IDS_FETCHED + 1])
        if len(ids) <= CASE_IDS_FETCHED:
            return ids
        return RawSQL(*visible.order_by().query.sql_with_params())  # noqa: S611 - the ORM's SQL, values as parameters

    def in_view(self, column: str) -> Q | AmongIds:
        """A filter on `column`, a case's id: the cases in view."""
        ids = self.case_ids
        return AmongIds(column, ids) if isinstance(ids, list) else Q(**{f"{column}__in": ids})

    def cases(self) -> QuerySet:
        return Case.objects.filter(self.in_view("pk"))

    def open_cases(self) -> QuerySet:
        return self.cases().exclude(status=CaseStatus.CLOSED)

    def members(self) -> QuerySet:
        return CaseMember.objects.filter(self.in_view("case_id"))


# --- who may read which units -------------------------------------------------------------


def reads_dashboard(user) -> bool:
    return access.has_capability(user, "read_dashboards")


def dashboard_units(user) -> QuerySet:
    """The units a user's dashboard covers: all of them for managers and auditors, a supervisor's own."""
    if not reads_dashboard(user):
        raise PermissionDenied
    return access.overseen_units(user)


def units_in_view(user, unit_public_id: str | None) -> tuple[list[Unit], Unit | None, QuerySet]:
    """(units the user may pick from, the one picked or None for all, the units in view).

    A unit the user may not read answers 404, as a missing one does.
    """
    allowed = dashboard_units(user)
    choices = list(allowed.order_by("name"))
    if not unit_public_id:
        return choices, None, allowed
    picked = next((unit for unit in choices if str(unit.public_id) == str(unit_public_id)), None)
    if picked is None:
        raise Http404
    return choices, picked, Unit.objects.filter(pk=picked.pk)


def listed_units(choices: list[Unit], picked: Unit | None) -> list[Unit]:
    """The units the figures cover, as `units_in_view` found them: the one picked, or all to pick from."""
    return [picked] if picked else choices


def caseworkers(units: QuerySet | list[int]) -> QuerySet:
    """The active caseworkers of these units (a queryset or their ids): one dashboard row each."""
    return access.caseworkers(units).order_by("last_name", "first_name", "username")


WORKERS_PER_PAGE = 50  # across all units a program manager's table would otherwise list every caseworker


def caseworker_page(units: list[Unit], number: Any) -> Page:
    """A page of the units' caseworkers, as `Paginator.get_page` gives it, in one query: each row
    carries the count of them all (a window over the whole list, before the page is cut). `units` as
    `units_in_view` listed them: the query filters on their ids, and takes each worker's unit from
    them rather than joining it (a join and a subquery less to plan, a millisecond a page)."""
    per_page = WORKERS_PER_PAGE
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    by_id = {unit.pk: unit for unit in units}
    workers = caseworkers(list(by_id))
    rows = list(workers.annotate(worker_count=Window(Count("pk")))[(wanted - 1) * per_page : wanted * per_page])
    if not rows and wanted > 1:  # past the end: the last page, as Django's paginator answers
        return caseworker_page(units, max(1, -(-workers.count() // per_page)))
    for worker in rows:
        worker.unit = by_id[worker.unit_id]
    paginator = Paginator(workers, per_page)
    paginator.count = rows[0].worker_count if rows else 0
    return paginator._get_page(rows, wanted, paginator)


def worker_in_view(units: QuerySet, public_id: str | None) -> User | None:
    """The caseworker of these units a drill-down is narrowed to; 404 for anyone else."""
    if not public_id:
        return None
    try:
        wanted = uuid.UUID(str(public_id))
    except ValueError as error:
        raise Http404 from error
    worker = caseworkers(units).filter(public_id=wanted).first()
    if worker is None:
        raise Http404
    return worker


# --- the filters behind the figures ----------------------------------------------------------


def _assigned(workers, prefix: str = "") -> Q:
    """Cases with an active assignment of one of these workers (one Q, so one join)."""
    return Q(**{f"{prefix}assignments__worker__in": workers, f"{prefix}assignments__ended_at__isnull": True})


def _child_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}role": MemberRole.CHILD, f"{prefix}ended_on__isnull": True})


def _member_figures(today: date) -> dict[str, Q]:
    """The figures that count members of the open cases, each one filter: the dashboard's SQL is compiled
    from it (`dashboard_figures.member_condition`) and its drill-down lists with it."""
    return {
        "children": _child_q(),
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
    """Not closed, past the response deadline, and no face-to-face contact recorded yet."""
    contacted = InvestigationContact.objects.filter(investigation=OuterRef("pk"), contact_type=ContactType.FACE_TO_FACE)
    return (
        access.visible(scope.user, Investigation.objects.filter(unit__in=scope.units))
        .exclude(status=InvestigationStatus.CLOSED)
        .filter(response_due_at__lt=scope.now)
        .filter(~Exists(contacted))
    )


def _closures_awaiting(scope: Scope) -> QuerySet:
    return scope.cases().filter(status=CaseStatus.CLOSURE_REQUESTED)


def _reports_awaiting(scope: Scope) -> QuerySet:
    """Reports of the units awaiting a supervisor: screen-outs, and requested priority downgrades."""
    requester = SqlCase(
        When(status=ReportStatus.AWAITING_APPROVAL, then=F("decided_by")), default=F("priority_requested_by")
    )
    reports = access.visible(scope.user, IntakeReport.objects.filter(unit__in=scope.units))
    return reports.filter(AWAITING_APPROVAL).annotate(requester=requester)


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
            approvals=closures.get(worker.pk, 0) + one("reports", worker.pk),
        )
        for worker in workers
    ]
    totals = Figures(
        worker=None,
        **{name: total("requester_cases", index) for index, name in enumerate(case_figures)},
        visits=total("visits"),
        federal=chart[-1].federal,
        investigations_past_due=total("investigations"),
        approvals=sum(closures.values()) + total("reports"),
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
    "investigations": "Investigations past their response deadline",
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
    reference: str
    url_name: str
    public_id: Any
    requested_by: User | None
    detail: str


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
        open_cases = open_cases.filter(_assigned(workers))
        members = members.filter(_assigned(workers, "case__"))
    open_members = CaseMember.objects.filter(case__in=open_cases)
    member_figures = _member_figures(scope.today)
    month = scope.month
    rows: Any
    if metric == "cases":
        rows = _open_case_rows(open_cases, scope.today)
    elif metric in member_figures:
        rows = _with_visit_status(open_members.filter(member_figures[metric]))
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
        rows = investigations.select_related("report", "unit", "assigned_worker").order_by("response_due_at")
    else:
        rows = _approval_items(scope, worker)
    title = METRICS[metric].format(month=month.label, days=settings.KINDRED_VISIT_INTERVAL_DAYS)
    return Drilldown(metric=metric, title=title, kind=METRIC_KINDS[metric], rows=rows)


def _open_case_rows(cases: QuerySet, today: date) -> QuerySet:
    return (
        cases.annotate(
            children=Count("members", filter=_child_q("members__")),
            overdue=Count("members", filter=visit_rule.overdue_q(today, "members__")),
            due_soon=Count("members", filter=visit_rule.due_soon_q(today, "members__")),
            next_due=Min("members__face_to_face_due", filter=visit_rule.requiring_q("members__")),
        )
        .select_related("unit")
        .order_by("family_name", "pk")
    )


def _approval_items(scope: Scope, worker: User | None) -> list[ApprovalItem]:
    closures = _closures_awaiting(scope).select_related("closure_requested_by").order_by("family_name", "pk")
    reports = (
        _reports_awaiting(scope)
        .select_related("decided_by", "priority_requested_by")
        .order_by("first_contact_due_at", "received_at", "pk")
    )
    if worker:
        closures = closures.filter(closure_requested_by=worker)
        reports = reports.filter(requester=worker.pk)
    items = [
        ApprovalItem(
            kind="Case closure",
            reference=case.reference,
            url_name="case_detail",
            public_id=case.public_id,
            requested_by=case.closure_requested_by,
            detail=case.get_closure_reason_display(),
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
                reference=report.reference,
                url_name="intake_detail",
                public_id=report.public_id,
                requested_by=by,
                detail=detail,
            )
        )
    return items


# --- My work and caseload visit status -------------------------------------------------------


def _with_visit_status(members: QuerySet) -> QuerySet:
    today = timezone.localdate()
    urgency = SqlCase(
        *(When(visit_status=status.value, then=Value(rank)) for status, rank in _URGENCY.items()),
        default=Value(len(_URGENCY)),
        output_field=IntegerField(),
    )
    return (
        members.annotate(visit_status=visit_rule.status_expression(today))
        .annotate(urgency=urgency)
        .select_related("case", "person")
        .order_by("urgency", F("face_to_face_due").asc(nulls_last=True), "case__family_name", "pk")
    )


def caseload_visit_rows(user, members: QuerySet) -> QuerySet:
    """Members (of cases the user may see) with their visit status, case and person, the most urgent
    first: overdue (oldest due date first), then due soon (soonest first), then the rest."""
    return _with_visit_status(members.filter(case__in=access.visible(user, Case.objects.all())))


def caseload_members(user, *, mine_only: bool = False) -> QuerySet:
    """Active members of the open cases the user may see (or only of those assigned to them)."""
    cases = access.visible(user, Case.objects.exclude(status=CaseStatus.CLOSED))
    if mine_only:
        cases = cases.filter(_assigned([user.pk]))
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


def my_work(user) -> MyWork:
    """A worker's day: their open cases, every member overdue or due soon, their investigations'
    deadlines, and what the supervisor returned to them. Five queries whatever the caseload."""
    today = timezone.localdate()
    mine = access.visible(user, Case.objects.exclude(status=CaseStatus.CLOSED)).filter(_assigned([user.pk]))
    cases = _open_case_rows(mine, today).annotate(my_role=F("assignments__role"))
    members = _with_visit_status(CaseMember.objects.filter(case__in=mine)).filter(
        visit_rule.overdue_q(today) | visit_rule.due_soon_q(today)
    )
    contacted = InvestigationContact.objects.filter(investigation=OuterRef("pk"), contact_type=ContactType.FACE_TO_FACE)
    investigations = (
        access.visible(user, Investigation.objects.filter(assigned_worker=user))
        .exclude(status=InvestigationStatus.CLOSED)
        .annotate(first_contact_made=Exists(contacted))
        .select_related("report")
        .order_by("first_contact_made", "response_due_at")
    )
    returned_cases = access.visible(
        user, Case.objects.filter(status=CaseStatus.OPEN, closure_requested_by=user).exclude(return_comment="")
    ).order_by("family_name")
    returned_reports = (
        access.visible(user, IntakeReport.objects.filter(status=ReportStatus.RETURNED))
        .filter(Q(decided_by=user) | Q(decided_by__isnull=True, created_by=user))
        .order_by("received_at", "created_at")
    )
    return MyWork(
        cases=list(cases),
        members=list(members),
        investigations=list(investigations),
        returned_cases=list(returned_cases),
        returned_reports=list(returned_reports),
        now=timezone.now(),
    )

"""The scope of a dashboard: the units, workers and months in view, and the figures' shapes."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from accounts import access
from accounts.models import Unit, User
from cases import visit_rule
from cases.choices import CaseStatus, MemberRole, VisitStatus
from cases.models import Case, CaseMember
from common.input import earliest_plausible_date, page_number
from common.sql import AmongIds

CHART_MONTHS = 12
# Up to this many cases in view, their ids are fetched once and passed to every figure's query.
CASE_IDS_FETCHED = 5_000

VISIT_URGENCY = {VisitStatus.OVERDUE: 0, VisitStatus.DUE_SOON: 1, VisitStatus.VISITED: 2, VisitStatus.EXCUSED: 3}


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
        """A month from `YYYY-MM`; the current month when absent, malformed or in the future. A month
        before anyone on a record could have been born is refused (ValidationError on `month`)."""
        current = cls.current()
        try:
            year, month = (int(part) for part in (text or "").split("-"))
            parsed = cls(date(year, month, 1))
        except ValueError:
            return current
        earliest = cls.of(earliest_plausible_date())
        if parsed < earliest:
            raise ValidationError({"month": f"Choose a month from {earliest.first:%B %Y} on."}, code="too_early")
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
    wanted = page_number(number)
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


# --- shared by the dashboard and My work -----------------------------------------------------


def assigned_to(workers, prefix: str = "") -> Q:
    """Cases with an active assignment of one of these workers (one Q, so one join)."""
    return Q(**{f"{prefix}assignments__worker__in": workers, f"{prefix}assignments__ended_at__isnull": True})


def child_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}role": MemberRole.CHILD, f"{prefix}ended_on__isnull": True})


def open_case_rows(cases: QuerySet, today: date) -> QuerySet:
    return (
        cases.annotate(
            children=Count("members", filter=child_q("members__")),
            overdue=Count("members", filter=visit_rule.overdue_q(today, "members__")),
            due_soon=Count("members", filter=visit_rule.due_soon_q(today, "members__")),
            next_due=Min("members__face_to_face_due", filter=visit_rule.requiring_q("members__")),
        )
        .select_related("unit")
        .order_by("family_name", "pk")
    )


def with_visit_status(members: QuerySet) -> QuerySet:
    today = timezone.localdate()
    urgency = SqlCase(
        *(When(visit_status=status.value, then=Value(rank)) for status, rank in VISIT_URGENCY.items()),
        default=Value(len(VISIT_URGENCY)),
        output_field=IntegerField(),
    )
    return (
        members.annotate(visit_status=visit_rule.status_expression(today))
        .annotate(urgency=urgency)
        .select_related("case", "person")
        .order_by("urgency", F("face_to_face_due").asc(nulls_last=True), "case__family_name", "pk")
    )

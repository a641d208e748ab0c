"""Reads of investigations' deadlines: how each stands, the nearest open one of many, the breached ones.

A deadline is open while it is unmet and not excused and its investigation is open. The same
conditions feed the page, the lists (`with_nearest_deadline`) and the deadline job (`breached_deadlines`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
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
)
from django.db.models.functions import Least
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import User
from investigations.choices import OPEN_STATUSES, DeadlineKind, DeadlineState
from investigations.models import ChildContactDeadline, CrossReport, Investigation, SafetyAssessment
from investigations.selectors.facts import InvestigationFacts


def due_soon_window() -> timedelta:
    return timedelta(hours=settings.KINDRED_DEADLINE_DUE_SOON_HOURS)


def state_of(
    *, due_at: datetime | None, met_at: datetime | None = None, excused: bool = False, now: datetime
) -> DeadlineState:
    if met_at is not None:
        return DeadlineState.MET_ON_TIME if due_at is None or met_at <= due_at else DeadlineState.MET_LATE
    if excused:
        return DeadlineState.EXCUSED
    if due_at is None:
        return DeadlineState.NOT_STARTED
    if due_at < now:
        return DeadlineState.OVERDUE
    if due_at <= now + due_soon_window():
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TRACK


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    state: DeadlineState
    due_at: datetime | None
    met_at: datetime | None = None
    child: object = None  # the alleged victim (first contact only)
    excused_reason: str = ""
    excused_by: User | None = None
    excused_at: datetime | None = None
    excuse_url: str = ""

    @property
    def label(self) -> str:
        if self.child is not None:
            return f"{self.kind.label} with {self.child.full_name}"
        return self.kind.label


def investigation_deadlines(
    investigation: Investigation,
    *,
    user: User | None = None,
    facts: InvestigationFacts | None = None,
    decisions: access.RecordDecisions | None = None,
) -> list[Deadline]:
    """Every deadline of one investigation with how it stands, in three queries (none with the page's `facts`,
    which load its assessments, cross-reports and children's deadlines once for all its sections).
    Excuse links for a `user` who may supervise it (`decisions`, when the page asked the policy already)."""
    now = timezone.now()
    facts = facts or InvestigationFacts(investigation)
    assessed_at, cross_reported_at = facts.first_assessed_at, facts.first_cross_reported_at
    may_excuse = (
        user is not None
        and investigation.closed_at is None
        and (decisions or access.decisions(user, investigation)).may_supervise
    )
    deadlines = []
    for child in facts.child_deadlines:
        excusable = may_excuse and child.met_at is None and child.excused_at is None
        deadlines.append(
            Deadline(
                kind=DeadlineKind.FIRST_CONTACT,
                state=state_of(due_at=child.due_at, met_at=child.met_at, excused=child.excused_at is not None, now=now),
                due_at=child.due_at,
                met_at=child.met_at,
                child=child.person,
                excused_reason=child.excused_reason,
                excused_by=child.excused_by,
                excused_at=child.excused_at,
                excuse_url=reverse("child_deadline_excuse", args=[investigation.public_id, child.person.public_id])
                if excusable
                else "",
            )
        )
    safety_due = investigation.safety_assessment_due_at
    deadlines.append(
        Deadline(
            kind=DeadlineKind.SAFETY_ASSESSMENT,
            state=state_of(due_at=safety_due, met_at=assessed_at, now=now) if safety_due else DeadlineState.NOT_STARTED,
            due_at=safety_due,
            met_at=assessed_at if safety_due else None,
        )
    )
    if investigation.cross_report_due_at:
        deadlines.append(
            Deadline(
                kind=DeadlineKind.CROSS_REPORT,
                state=state_of(due_at=investigation.cross_report_due_at, met_at=cross_reported_at, now=now),
                due_at=investigation.cross_report_due_at,
                met_at=cross_reported_at,
            )
        )
    deadlines.append(
        Deadline(
            kind=DeadlineKind.CLOSURE,
            state=state_of(due_at=investigation.closure_due_at, met_at=investigation.closed_at, now=now),
            due_at=investigation.closure_due_at,
            met_at=investigation.closed_at,
        )
    )
    return deadlines


def page_section(
    investigation: Investigation,
    user: User,
    *,
    facts: InvestigationFacts | None = None,
    decisions: access.RecordDecisions | None = None,
) -> dict:
    """What the investigation page shows of its deadlines (a fixed number of queries, whatever their number)."""
    return {
        "deadlines": investigation_deadlines(investigation, user=user, facts=facts, decisions=decisions),
        "safety_working_days": settings.KINDRED_SAFETY_ASSESSMENT_WORKING_DAYS,
    }


def child_deadline_for(investigation: Investigation, person_public_id) -> ChildContactDeadline:
    """One child's first-contact deadline on an investigation the caller fetched through the policy."""
    return ChildContactDeadline.objects.select_related("person", "excused_by").get(
        investigation=investigation, person__public_id=person_public_id
    )


# The open deadlines, as (investigation_id, kind, person_id, due_at) rows: one queryset per kind.
def _open_child_deadlines() -> QuerySet:
    return ChildContactDeadline.objects.filter(
        investigation__status__in=OPEN_STATUSES, met_at__isnull=True, excused_at__isnull=True
    )


def _open_safety_assessment_q() -> Q:
    return Q(safety_assessment_due_at__isnull=False) & ~Exists(
        SafetyAssessment.objects.filter(investigation=OuterRef("pk"))
    )


def safety_assessments_spanning(day_start: datetime, day_end: datetime) -> QuerySet:
    """Open investigations whose safety assessment is due and not yet done, and whose working-day window (from the
    first contact to the due date) touches the day from `day_start` to `day_end`: those a holiday on it moves."""
    return Investigation.objects.filter(
        _open_safety_assessment_q(),
        status__in=OPEN_STATUSES,
        first_contact_at__lt=day_end,
        safety_assessment_due_at__gte=day_start,
    )


def _open_cross_report_q() -> Q:
    return Q(cross_report_due_at__isnull=False) & ~Exists(CrossReport.objects.filter(investigation=OuterRef("pk")))


def _rows(queryset: QuerySet, kind: DeadlineKind, person, due: str) -> QuerySet:
    return queryset.order_by().values_list(
        F("investigation_id") if queryset.model is ChildContactDeadline else F("pk"),
        Value(kind.value, output_field=CharField()),
        person,
        F(due),
    )


def breached_deadlines(now: datetime) -> list[QuerySet]:
    """The open deadlines past due at `now`, one queryset per kind, each of rows (investigation id, kind,
    child's person id or None, due at): what the deadline job flags."""
    open_investigations = Investigation.objects.filter(status__in=OPEN_STATUSES)
    no_person = Value(None, output_field=IntegerField())
    return [
        _rows(_open_child_deadlines().filter(due_at__lt=now), DeadlineKind.FIRST_CONTACT, F("person_id"), "due_at"),
        _rows(
            open_investigations.filter(_open_safety_assessment_q(), safety_assessment_due_at__lt=now),
            DeadlineKind.SAFETY_ASSESSMENT,
            no_person,
            "safety_assessment_due_at",
        ),
        _rows(
            open_investigations.filter(_open_cross_report_q(), cross_report_due_at__lt=now),
            DeadlineKind.CROSS_REPORT,
            no_person,
            "cross_report_due_at",
        ),
        _rows(open_investigations.filter(closure_due_at__lt=now), DeadlineKind.CLOSURE, no_person, "closure_due_at"),
    ]


def with_nearest_deadline(investigations: QuerySet) -> QuerySet:
    """Annotate each investigation with its nearest open deadline (`nearest_deadline_at`, `nearest_deadline_kind`
    and its `nearest_deadline_label`), in the same query; closed investigations have none. `with_deadline_states`
    adds how it stands."""
    child_due = Subquery(
        _open_child_deadlines()
        .filter(investigation=OuterRef("pk"))
        .order_by()
        .values("investigation")
        .annotate(due=Min("due_at"))
        .values("due")[:1],
        output_field=DateTimeField(),
    )
    is_open = Q(status__in=OPEN_STATUSES)
    safety = Case(When(is_open & _open_safety_assessment_q(), then=F("safety_assessment_due_at")), default=None)
    cross = Case(When(is_open & _open_cross_report_q(), then=F("cross_report_due_at")), default=None)
    closure = Case(When(is_open, then=F("closure_due_at")), default=None)
    annotated = investigations.annotate(
        _child_due=child_due, _safety_due=safety, _cross_due=cross, _closure_due=closure
    ).annotate(nearest_deadline_at=Least("_child_due", "_safety_due", "_cross_due", "_closure_due"))
    kinds = (
        ("_child_due", DeadlineKind.FIRST_CONTACT),
        ("_safety_due", DeadlineKind.SAFETY_ASSESSMENT),
        ("_cross_due", DeadlineKind.CROSS_REPORT),
        ("_closure_due", DeadlineKind.CLOSURE),
    )

    def which(attribute: str) -> Case:
        return Case(
            *(When(nearest_deadline_at=F(due), then=Value(getattr(kind, attribute))) for due, kind in kinds),
            default=Value(""),
            output_field=CharField(),
        )

    return annotated.annotate(nearest_deadline_kind=which("value"), nearest_deadline_label=which("label"))


def with_deadline_states(investigations: Iterable[Investigation]) -> list[Investigation]:
    """The investigations of a `with_nearest_deadline` queryset, each given `nearest_deadline_state` (None: no
    open deadline), for pages and the API."""
    now = timezone.now()
    rows = list(investigations)
    for investigation in rows:
        due = investigation.nearest_deadline_at
        investigation.nearest_deadline_state = state_of(due_at=due, now=now) if due else None
    return rows

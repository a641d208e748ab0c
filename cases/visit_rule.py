"""The face-to-face visit rule, in one place.

Every child, parent and caregiver on an open case is seen face to face at least every
KINDRED_VISIT_INTERVAL_DAYS days. A member's due date is the interval after the latest of:
their last face-to-face visit, the day they joined the case, and the day the case opened (or
reopened). Dates are the agency's local dates: a visit at 23:59 counts for that day.

- overdue: the due date has passed (due < today)
- due soon: due within KINDRED_VISIT_DUE_SOON_DAYS days (today <= due <= today + N)
- visited: otherwise; excused: a member who need not be seen (e.g. whereabouts unknown)
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import Q, Value, When
from django.utils import timezone

from cases.choices import CaseStatus, VisitStatus


def interval() -> timedelta:
    return timedelta(days=settings.KINDRED_VISIT_INTERVAL_DAYS)


def due_soon_window() -> timedelta:
    return timedelta(days=settings.KINDRED_VISIT_DUE_SOON_DAYS)


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def due_date(*, last_face_to_face_at: datetime | None, case_opened_at: datetime, started_on: date) -> date:
    counted_from = max(local_day(case_opened_at), started_on)
    if last_face_to_face_at is not None:
        counted_from = max(counted_from, local_day(last_face_to_face_at))
    return counted_from + interval()


def requires_visit(*, must_be_seen: bool, ended_on: date | None, case_status: str) -> bool:
    return must_be_seen and ended_on is None and case_status != CaseStatus.CLOSED


def apply(member, case) -> None:
    """Set the member's due date and whether the rule applies, from what is on the rows (no save)."""
    member.face_to_face_due = due_date(
        last_face_to_face_at=member.last_face_to_face_at,
        case_opened_at=case.visits_counted_from,
        started_on=member.started_on,
    )
    member.requires_visit = requires_visit(
        must_be_seen=member.must_be_seen, ended_on=member.ended_on, case_status=case.status
    )


def status(*, requires: bool, must_be_seen: bool, due: date | None, today: date) -> str | None:
    if not must_be_seen:
        return VisitStatus.EXCUSED
    if not requires or due is None:
        return None
    if due < today:
        return VisitStatus.OVERDUE
    if due <= today + due_soon_window():
        return VisitStatus.DUE_SOON
    return VisitStatus.VISITED


def overdue_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}requires_visit": True, f"{prefix}face_to_face_due__lt": today})


def due_soon_q(today: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}requires_visit": True,
            f"{prefix}face_to_face_due__gte": today,
            f"{prefix}face_to_face_due__lte": today + due_soon_window(),
        }
    )


def status_expression(today: date) -> SqlCase:
    """The same classification as `status`, for annotating a member queryset in one query."""
    return SqlCase(
        When(must_be_seen=False, then=Value(VisitStatus.EXCUSED.value)),
        When(overdue_q(today), then=Value(VisitStatus.OVERDUE.value)),
        When(due_soon_q(today), then=Value(VisitStatus.DUE_SOON.value)),
        When(requires_visit=True, then=Value(VisitStatus.VISITED.value)),
        default=Value(""),
    )

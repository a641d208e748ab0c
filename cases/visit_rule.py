"""The face-to-face visit rule, in one place.

Every child, parent and caregiver on an open case is seen face to face at least every
KINDRED_VISIT_INTERVAL_DAYS days. A member's due date is the interval after the latest of:
their last face-to-face visit, the day they joined the case, and the day the case opened (or
reopened). Dates are the agency's local dates: a visit at 23:59 counts for that day.

- overdue: the due date has passed (due < today)
- due soon: due within KINDRED_VISIT_DUE_SOON_DAYS days (today <= due <= today + N)
- visited: otherwise; excused: a member who need not be seen (e.g. whereabouts unknown)

Of the members not overdue, some were seen face to face within the interval (their last visit is
no older than the interval) and the rest are not yet due: never seen, or seen longer ago, with the
due date still ahead because they joined or the case (re)opened since.

The filters below (`Q`) are the rule's one definition: the ORM lists and annotations use them, and
the dashboard's SQL is compiled from them (`reporting.figures`).
"""

from datetime import date, datetime, time, timedelta

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


def seen_since(today: date) -> datetime:
    """The first moment a visit counts as within the interval: the start of the agency's day one interval ago
    (a visit on that day makes the member due today, not overdue)."""
    return timezone.make_aware(datetime.combine(today - interval(), time.min))


def requiring_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}requires_visit": True})


def overdue_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}requires_visit": True, f"{prefix}face_to_face_due__lt": today})


def _not_overdue_q(today: date, prefix: str) -> Q:
    return Q(**{f"{prefix}requires_visit": True, f"{prefix}face_to_face_due__gte": today})


def seen_q(today: date, prefix: str = "") -> Q:
    """Members not overdue whose last face-to-face visit is no older than the interval."""
    return _not_overdue_q(today, prefix) & Q(**{f"{prefix}last_face_to_face_at__gte": seen_since(today)})


def not_yet_due_q(today: date, prefix: str = "") -> Q:
    """Members not overdue who were not seen within the interval: never, or longer ago."""
    last = f"{prefix}last_face_to_face_at"
    return _not_overdue_q(today, prefix) & (Q(**{f"{last}__isnull": True}) | Q(**{f"{last}__lt": seen_since(today)}))


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
        When(requiring_q(), then=Value(VisitStatus.VISITED.value)),
        default=Value(""),
    )

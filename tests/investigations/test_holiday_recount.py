"""A holiday added or removed recounts the safety-assessment deadlines already set on open investigations whose
window (first contact to due date) spans it, in the holiday change's transaction; the deadline flags follow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from investigations.choices import DeadlineKind, InvestigationStatus
from investigations.models import DeadlineFlag, Investigation
from investigations.services import investigation_contact_record
from investigations.services.deadlines import deadline_flags_refresh
from records import services as holidays
from records.calendar import add_working_days
from tests.factories import make_investigation
from tests.investigations.assessment_data import record_safety

pytestmark = pytest.mark.django_db


def seen(cast, *, days_ago: float = 0):
    """An investigation whose alleged child was seen face to face `days_ago` (a few minutes ago by default)."""
    investigation = make_investigation(
        cast.screener, worker=cast.worker, received_at=timezone.now() - timedelta(days=days_ago + 1)
    )
    investigation_contact_record(
        actor=cast.worker,
        investigation=investigation,
        occurred_at=timezone.now() - timedelta(days=days_ago, minutes=5),
        contact_type="face_to_face",
        location="residence",
        people_seen=[deadline.person for deadline in investigation.child_deadlines.all()],
        narrative="Saw the child at home.",
    )
    investigation.refresh_from_db()
    assert investigation.safety_assessment_due_at is not None
    return investigation


def first_working_day_after_contact(investigation):
    """A day inside the investigation's window: the first working day counted after its first contact."""
    return timezone.localtime(add_working_days(investigation.first_contact_at, 1, holidays=set())).date()


def due(investigation):
    return Investigation.objects.get(pk=investigation.pk).safety_assessment_due_at


def test_a_holiday_inside_the_window_moves_the_due_date_a_working_day_later_and_back(cast):
    investigation = seen(cast)
    before = investigation.safety_assessment_due_at
    day = first_working_day_after_contact(investigation)
    holiday = holidays.holiday_add(actor=cast.administrator, date=day, name="Founders Day")
    assert due(investigation) == add_working_days(before, 1, holidays=set())
    holidays.holiday_remove(actor=cast.administrator, holiday=holiday)
    assert due(investigation) == before


def test_a_holiday_after_the_due_date_moves_nothing(cast):
    investigation = seen(cast)
    before = investigation.safety_assessment_due_at
    later = timezone.localtime(before).date() + timedelta(days=7)
    holidays.holiday_add(actor=cast.administrator, date=later, name="Founders Day")
    assert due(investigation) == before


def test_a_met_or_closed_investigation_keeps_its_due_date(cast):
    met = seen(cast)
    record_safety(cast.worker, met)
    closed = seen(cast)
    Investigation.objects.filter(pk=closed.pk).update(status=InvestigationStatus.CLOSED, closed_at=timezone.now())
    unmet = seen(cast)
    dues = {met.pk: met.safety_assessment_due_at, closed.pk: closed.safety_assessment_due_at}
    holidays.holiday_add(actor=cast.administrator, date=first_working_day_after_contact(unmet), name="Founders Day")
    assert {pk: due(Investigation(pk=pk)) for pk in dues} == dues
    assert due(unmet) != unmet.safety_assessment_due_at


def test_the_holiday_change_is_audited_with_how_many_deadlines_moved(cast, client_for):
    investigation = seen(cast)
    day = first_working_day_after_contact(investigation)
    client = client_for(cast.administrator)
    assert client.post(reverse("holiday_list"), {"date": day.isoformat(), "name": "Founders Day"}).status_code == 302
    added = AuditEvent.objects.get(action="records.holiday.added")
    assert added.changes == {"deadlines_moved": 1} and added.actor == cast.administrator
    assert client.post(reverse("holiday_remove", args=[day.isoformat()])).status_code == 302
    assert AuditEvent.objects.get(action="records.holiday.removed").changes == {"deadlines_moved": 1}
    assert due(investigation) == investigation.safety_assessment_due_at


def test_an_open_flag_follows_the_recounted_due_date(cast):
    investigation = seen(cast, days_ago=10)
    deadline_flags_refresh()
    flag = DeadlineFlag.objects.get(investigation=investigation, kind=DeadlineKind.SAFETY_ASSESSMENT)
    holidays.holiday_add(
        actor=cast.administrator, date=first_working_day_after_contact(investigation), name="Founders Day"
    )
    flag.refresh_from_db()
    assert flag.due_at == due(investigation) != investigation.safety_assessment_due_at, "still breached, newly due"
    assert deadline_flags_refresh() == {"flagged": 0, "resolved": 0, "notified": 0}, "the one flag stands"


def recount_queries(cast, investigations) -> int:
    day = first_working_day_after_contact(investigations[0])
    with CaptureQueriesContext(connection) as queries:
        holiday = holidays.holiday_add(actor=cast.administrator, date=day, name="Founders Day")
    moved = AuditEvent.objects.filter(action="records.holiday.added").order_by("-id").first().changes
    assert moved == {"deadlines_moved": len(investigations)}
    holidays.holiday_remove(actor=cast.administrator, holiday=holiday)
    return len(queries)


def test_the_recount_costs_the_same_queries_for_1_or_5_investigations(cast):
    one = [seen(cast)]
    recount_queries(cast, one)  # the first change reads what Django caches for the process
    few = recount_queries(cast, one)
    many = one + [seen(cast) for _ in range(4)]
    assert recount_queries(cast, many) == few

"""The 30-day face-to-face rule: every child and parent on an open case is seen at least every 30 days."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.choices import AlertKind, VisitStatus
from cases.models import CaseMember, VisitAlert
from cases.visit_rule import status
from tests.conftest import wait_for
from tests.factories import make_case, make_person

pytestmark = pytest.mark.django_db


def local(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def state(member: CaseMember) -> str:
    member.refresh_from_db()
    return status(
        requires=member.requires_visit,
        must_be_seen=member.must_be_seen,
        due=member.face_to_face_due,
        today=timezone.localdate(),
    )


def visit(worker, case, *people, at=None, contact_type="face_to_face", location="residence"):
    return services.contact_record(
        actor=worker,
        case=case,
        occurred_at=at or timezone.now() - timedelta(minutes=5),
        contact_type=contact_type,
        location=location,
        people_seen=list(people),
        narrative="Saw the family at home.",
    )


def test_with_no_visit_yet_the_clock_runs_from_the_opening(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    child = case.members.filter(role="child").first()
    assert child.face_to_face_due == timezone.localdate() - timedelta(days=1)
    assert state(child) == VisitStatus.OVERDUE


def test_a_visit_exactly_30_days_ago_is_due_today_not_overdue(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    child = case.members.filter(role="child").first()
    visit(cast.worker, case, child.person, at=local(timezone.localdate() - timedelta(days=30)))
    child.refresh_from_db()
    assert child.face_to_face_due == timezone.localdate()
    assert state(child) == VisitStatus.DUE_SOON


def test_due_soon_starts_five_days_before(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=25)
    assert state(case.members.filter(role="child").first()) == VisitStatus.DUE_SOON
    fresh = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=24)
    assert state(fresh.members.filter(role="child").first()) == VisitStatus.VISITED


def test_a_member_added_late_counts_from_the_day_they_joined(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=60)
    member = services.case_add_new_member(
        actor=cast.worker,
        case=case,
        role="child",
        started_on=timezone.localdate() - timedelta(days=3),
        first_name="Wren",
        last_name="Halloway",
        approximate_age=0,
        confirmed_not_duplicate=True,
    )
    assert member.face_to_face_due == timezone.localdate() + timedelta(days=27)
    assert state(member) == VisitStatus.VISITED


def test_an_excused_member_is_neither_due_nor_alerted(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=45)
    parent = case.members.get(role="parent")
    services.member_excuse(
        actor=cast.supervisor, member=parent, reason="Whereabouts unknown", diligent_search_note="Searched jail, DMV"
    )
    assert state(parent) == VisitStatus.EXCUSED
    services.visit_alerts_refresh()
    assert not VisitAlert.objects.filter(member=parent, resolved_at__isnull=True).exists()


def test_a_closed_case_requires_no_visits_and_its_alerts_resolve(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=45)
    services.visit_alerts_refresh()
    assert VisitAlert.objects.filter(member__case=case, resolved_at__isnull=True).count() == 3
    services.case_request_closure(actor=cast.worker, case=case, reason="no_further_services")
    services.case_approve_closure(actor=cast.supervisor, case=case)
    assert not CaseMember.objects.filter(case=case, requires_visit=True).exists()
    assert not VisitAlert.objects.filter(member__case=case, resolved_at__isnull=True).exists()


def test_a_visit_at_2359_local_time_counts_for_that_day(cast, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    timezone.activate("America/Los_Angeles")
    try:
        case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=20)
        child = case.members.filter(role="child").first()
        day = timezone.localdate() - timedelta(days=2)
        visit(cast.worker, case, child.person, at=local(day, 23, 59))
        child.refresh_from_db()
        assert child.face_to_face_due == day + timedelta(days=30)
    finally:
        timezone.deactivate()


def test_only_face_to_face_contacts_count(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    child = case.members.filter(role="child").first()
    visit(cast.worker, case, child.person, contact_type="phone")
    visit(cast.worker, case, child.person, contact_type="attempted")
    assert state(child) == VisitStatus.OVERDUE
    visit(cast.worker, case, child.person)
    assert state(child) == VisitStatus.VISITED


def test_logging_a_visit_clears_the_alert_in_the_same_transaction(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    child = case.members.filter(role="child").first()
    services.visit_alerts_refresh()
    assert VisitAlert.objects.get(member=child, resolved_at__isnull=True).kind == AlertKind.OVERDUE
    visit(cast.worker, case, child.person)
    assert not VisitAlert.objects.filter(member=child, resolved_at__isnull=True).exists()


def test_a_contact_is_refused_in_the_future_before_the_opening_or_with_strangers(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=10)
    child = case.members.filter(role="child").first()
    for at, people, field in [
        (timezone.now() + timedelta(hours=2), [child.person], "occurred_at"),
        (timezone.now() - timedelta(days=11), [child.person], "occurred_at"),
        (None, [make_person(cast.supervisor, age=9)], "people_seen"),
        (None, [], "people_seen"),
    ]:
        with pytest.raises(ValidationError) as error:
            visit(cast.worker, case, *people, at=at)
        assert field in error.value.message_dict


def test_the_job_is_idempotent(cast):
    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=27)
    first = services.visit_alerts_refresh()
    assert first["opened_overdue"] == 3 and first["opened_due_soon"] == 3
    second = services.visit_alerts_refresh()
    assert second == {"opened_overdue": 0, "opened_due_soon": 0, "resolved": 0, "notified": 0}


@pytest.mark.django_db(transaction=True)
def test_the_job_notifies_once_per_alert(role_groups, cast, mailoutbox, celery_worker):
    from accounts.models import Notification

    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    with celery_worker():
        services.visit_alerts_refresh()
        services.visit_alerts_refresh()
        wait_for(lambda: len(mailoutbox) == 3)  # the case's opening e-mail, then the two digests
    worker_notes = Notification.objects.filter(recipient=cast.worker, link="/my-work/")
    assert worker_notes.count() == 1
    assert "3 of your case members are overdue" in worker_notes.get().message
    assert Notification.objects.filter(recipient=cast.supervisor, link="/dashboard/").count() == 1
    assert len([m for m in mailoutbox if "visits due" in m.subject or "overdue" in m.body]) == 2


def test_an_amended_visit_date_moves_the_due_date(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    child = case.members.filter(role="child").first()
    contact = visit(cast.worker, case, child.person)
    services.contact_amend(
        actor=cast.worker,
        contact=contact,
        field="occurred_at",
        value=timezone.now() - timedelta(days=35),
        reason="Entered the wrong day",
    )
    assert state(child) == VisitStatus.OVERDUE

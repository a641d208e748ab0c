"""The investigation deadline job: breached deadlines flagged set-based and notified once, on one worker
or two at once; flags resolved when the deadline is met, excused, or the investigation closes."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from accounts.models import Notification
from investigations.choices import DeadlineKind, InvestigationStatus
from investigations.models import ChildContactDeadline, CrossReport, CrossReportRule, DeadlineFlag, Investigation
from investigations.services import investigation_contact_record
from investigations.services.deadlines import (
    _refresh_without_postgresql,
    child_deadline_excuse,
    deadline_flags_refresh,
)
from investigations.tasks import flag_breached_deadlines
from tests.factories import make_investigation

pytestmark = pytest.mark.django_db


def digests():
    return Notification.objects.filter(Q(message__contains="passed unmet"))


def open_flags():
    return sorted(
        DeadlineFlag.objects.filter(resolved_at__isnull=True).values_list("investigation_id", "kind", "person_id")
    )


def overdue_investigation(cast, *, children=2, days=5):
    """An investigation received `days` ago whose children are all overdue for their first contact."""
    return make_investigation(
        cast.screener, worker=cast.worker, children=children, received_at=timezone.now() - timedelta(days=days)
    )


def see(cast, investigation, *people):
    return investigation_contact_record(
        actor=cast.worker,
        investigation=investigation,
        occurred_at=timezone.now() - timedelta(minutes=5),
        contact_type="face_to_face",
        location="residence",
        people_seen=list(people),
        narrative="Saw the children at home.",
    )


def test_it_flags_each_breached_child_and_notifies_the_worker_and_supervisor_once(cast):
    investigation = overdue_investigation(cast)
    make_investigation(cast.screener, worker=cast.worker)  # in time: nothing to flag
    counts = deadline_flags_refresh()
    children = ChildContactDeadline.objects.filter(investigation=investigation).values_list("person_id", flat=True)
    assert open_flags() == sorted((investigation.pk, DeadlineKind.FIRST_CONTACT, child) for child in children)
    assert counts == {"flagged": 2, "resolved": 0, "notified": 2}
    assert DeadlineFlag.objects.filter(notified_at__isnull=True).count() == 0
    assert sorted(digests().values_list("recipient__username", flat=True)) == ["supervisor", "worker"]
    assert "2 deadlines of your investigations" in digests().get(recipient=cast.worker).message


def test_its_digests_are_listed_under_investigations_and_name_no_record(cast):
    overdue_investigation(cast)
    deadline_flags_refresh()
    assert set(digests().values_list("kind", "title")) == {("Investigations", "")}


def test_a_second_run_changes_nothing(cast):
    overdue_investigation(cast)
    deadline_flags_refresh()
    flags = list(DeadlineFlag.objects.values_list("pk", "flagged_at", "notified_at", "resolved_at"))
    assert deadline_flags_refresh() == {"flagged": 0, "resolved": 0, "notified": 0}
    assert list(DeadlineFlag.objects.values_list("pk", "flagged_at", "notified_at", "resolved_at")) == flags
    assert digests().count() == 2


def test_it_flags_the_safety_assessment_cross_report_and_closure(cast):
    CrossReportRule.objects.update_or_create(maltreatment_type="neglect", defaults={"within_hours": 24})
    investigation = overdue_investigation(cast, children=1, days=40)
    see(cast, investigation, *[d.person for d in investigation.child_deadlines.all()])
    Investigation.objects.filter(pk=investigation.pk).update(
        safety_assessment_due_at=timezone.now() - timedelta(hours=1)
    )
    deadline_flags_refresh()
    assert {kind for _, kind, _ in open_flags()} == {
        DeadlineKind.SAFETY_ASSESSMENT,
        DeadlineKind.CROSS_REPORT,
        DeadlineKind.CLOSURE,
    }


def test_met_excused_and_closed_resolve_their_flags(cast):
    CrossReportRule.objects.update_or_create(maltreatment_type="neglect", defaults={"within_hours": 24})
    investigation = overdue_investigation(cast, children=2)
    first, second = [d.person for d in investigation.child_deadlines.order_by("id")]
    deadline_flags_refresh()
    see(cast, investigation, first)
    child_deadline_excuse(
        actor=cast.supervisor,
        deadline=ChildContactDeadline.objects.get(investigation=investigation, person=second),
        reason="Could not be located after a search of the known addresses.",
    )
    CrossReport.objects.create(
        investigation=investigation,
        agency="County Sheriff",
        reported_at=timezone.now(),
        method="phone",
        officer_name="Officer on duty",
        recorded_by=cast.worker,
    )
    assert deadline_flags_refresh()["resolved"] == 3
    assert open_flags() == []
    closed = overdue_investigation(cast, children=1, days=40)
    deadline_flags_refresh()
    assert {kind for _, kind, _ in open_flags()} == {
        DeadlineKind.FIRST_CONTACT,
        DeadlineKind.CROSS_REPORT,
        DeadlineKind.CLOSURE,
    }
    Investigation.objects.filter(pk=closed.pk).update(status=InvestigationStatus.CLOSED, closed_at=timezone.now())
    deadline_flags_refresh()
    assert open_flags() == []


def test_a_deadline_breached_again_after_its_flag_resolved_is_flagged_and_notified_again(cast):
    investigation = overdue_investigation(cast, children=1)
    deadline_flags_refresh()
    ChildContactDeadline.objects.filter(investigation=investigation).update(due_at=timezone.now() + timedelta(days=1))
    assert deadline_flags_refresh()["resolved"] == 1
    ChildContactDeadline.objects.filter(investigation=investigation).update(due_at=timezone.now() - timedelta(hours=1))
    assert deadline_flags_refresh()["flagged"] == 1
    assert DeadlineFlag.objects.count() == 2 and len(open_flags()) == 1


def test_the_task_runs_the_job(cast):
    overdue_investigation(cast, children=1)
    assert flag_breached_deadlines.apply().get()["flagged"] == 1


def test_beat_runs_the_job_every_hour_at_the_configured_minute(settings):
    from config.celery import app

    hourly = app.conf.beat_schedule["flag-breached-investigation-deadlines"]
    assert hourly["task"] == "investigations.tasks.flag_breached_deadlines"
    assert len(hourly["schedule"].hour) == 24 and hourly["schedule"].minute == {settings.KINDRED_DEADLINE_JOB_MINUTE}


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_flag_each_deadline_once_and_notify_once(role_groups, cast):
    for days in (4, 5, 6):
        overdue_investigation(cast, children=2, days=days)
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(deadline_flags_refresh())
        except Exception as error:  # the assertion below shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(result["flagged"] for result in results) == [0, 6]
    assert sorted(result["notified"] for result in results) == [0, 2]
    assert len(open_flags()) == len(set(open_flags())) == 6
    assert sorted(digests().values_list("recipient__username", flat=True)) == ["supervisor", "worker"]


def test_the_sqlite_path_of_make_run_flags_resolves_and_notifies_as_the_postgresql_one(cast):
    """`make run`'s zero-setup SQLite has no INSERT inside WITH: the job's portable path, run here on
    PostgreSQL, must open, resolve and notify exactly as the set-based statement does."""
    investigation = overdue_investigation(cast)
    first, second = [d.person for d in investigation.child_deadlines.order_by("pk")]
    assert _refresh_without_postgresql(timezone.now()) == {"flagged": 2, "resolved": 0, "notified": 2}
    assert _refresh_without_postgresql(timezone.now()) == {"flagged": 0, "resolved": 0, "notified": 0}
    see(cast, investigation, first)
    assert _refresh_without_postgresql(timezone.now()) == {"flagged": 0, "resolved": 1, "notified": 0}
    assert open_flags() == [(investigation.pk, DeadlineKind.FIRST_CONTACT, second.pk)]
    assert deadline_flags_refresh() == {"flagged": 0, "resolved": 0, "notified": 0}
    assert digests().count() == 2

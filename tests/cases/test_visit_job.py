"""The overdue-visit job: alerts opened and resolved set-based, once, on one worker or two, and its schedule.

The cast: the unit's worker with cases whose members are overdue, due soon or visited; their
supervisor; an administrator who runs the job from its page. The job runs through the real
service, task, command, broker and worker.
"""

import threading
import time
from datetime import datetime, timedelta
from io import StringIO

import psycopg2
import pytest
from celery.signals import worker_ready
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from cases import services
from cases.choices import AlertKind
from cases.models import CaseMember, VisitAlert, VisitJobRun
from cases.tasks import flag_overdue_visits, visit_job_catch_up
from tests.conftest import wait_for
from tests.factories import log_visit, make_case

pytestmark = pytest.mark.django_db

NOTHING = {"opened_overdue": 0, "opened_due_soon": 0, "resolved": 0, "notified": 0}


def open_alerts(**filters) -> list[tuple[int, str]]:
    return sorted(VisitAlert.objects.filter(resolved_at__isnull=True, **filters).values_list("member_id", "kind"))


def digests():
    """The job's notifications (opening a case also notifies the worker, with another message)."""
    return Notification.objects.filter(
        Q(message__contains="face-to-face visit") | Q(message__contains="became overdue")
    )


def digest_mails(outbox) -> list:
    """The job's e-mails (opening a case also e-mails the worker)."""
    return [mail for mail in outbox if "face-to-face visit" in mail.body or "became overdue" in mail.body]


def children(case) -> list[CaseMember]:
    return list(case.members.filter(role="child"))


@pytest.fixture
def caseload(cast):
    """Three cases of the worker: all 3 members overdue, all 3 due soon, and all 3 visited (opened a week ago)."""
    return {
        "overdue": make_case(cast.supervisor, worker=cast.worker, opened_days_ago=35),
        "due_soon": make_case(cast.supervisor, worker=cast.worker, opened_days_ago=27),
        "visited": make_case(cast.supervisor, worker=cast.worker, opened_days_ago=7),
    }


def test_it_opens_one_alert_per_member_due_soon_or_overdue(caseload):
    counts = services.visit_alerts_refresh()
    assert counts == {"opened_overdue": 3, "opened_due_soon": 3, "resolved": 0, "notified": 2}
    overdue, due_soon = caseload["overdue"], caseload["due_soon"]
    assert open_alerts(member__case=overdue) == sorted(
        (member.pk, AlertKind.OVERDUE) for member in overdue.members.all()
    )
    assert open_alerts(member__case=due_soon) == sorted(
        (member.pk, AlertKind.DUE_SOON) for member in due_soon.members.all()
    )
    assert open_alerts(member__case=caseload["visited"]) == []
    alert = VisitAlert.objects.get(member=children(overdue)[0])
    assert alert.due_on == children(overdue)[0].face_to_face_due
    assert alert.notified_at is not None


def test_its_digests_are_listed_under_cases_and_name_no_record(cast, caseload):
    services.visit_alerts_refresh()
    assert sorted(digests().values_list("recipient_id", "kind", "title")) == sorted(
        [(cast.worker.pk, "Cases", ""), (cast.supervisor.pk, "Cases", "")]
    )


def test_a_second_run_changes_nothing(caseload):
    services.visit_alerts_refresh()
    alerts = list(VisitAlert.objects.order_by("pk").values())
    notes = Notification.objects.count()
    assert services.visit_alerts_refresh() == NOTHING
    assert list(VisitAlert.objects.order_by("pk").values()) == alerts
    assert Notification.objects.count() == notes


def test_it_resolves_the_alerts_of_members_since_visited_excused_or_ended_and_of_closed_cases(cast, caseload):
    services.visit_alerts_refresh()
    overdue, due_soon = caseload["overdue"], caseload["due_soon"]
    first_child, second_child = children(overdue)
    parent = overdue.members.get(role="parent")
    log_visit(cast.worker, overdue, first_child.person)
    services.member_excuse(actor=cast.supervisor, member=parent, reason="Whereabouts unknown")
    services.case_end_member(
        actor=cast.supervisor, member=second_child, ended_on=timezone.localdate(), reason="Moved to her father's"
    )
    services.case_request_closure(actor=cast.worker, case=due_soon, reason="no_further_services")
    services.case_approve_closure(actor=cast.supervisor, case=due_soon)
    # The services settle the alerts in their own transactions; the next run finds them settled.
    assert open_alerts() == []
    assert services.visit_alerts_refresh() == NOTHING
    assert VisitAlert.objects.filter(resolved_at__isnull=False).count() == 6


def test_the_job_resolves_what_is_no_longer_due_as_of_its_day(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=2)
    in_26_days = timezone.localdate() + timedelta(days=26)
    assert services.visit_alerts_refresh(today=in_26_days)["opened_due_soon"] == 3
    # Run for today (as after a wrong clock): nobody is due soon today, so the job itself resolves them.
    assert services.visit_alerts_refresh()["resolved"] == 3
    assert open_alerts(member__case=case) == []


def test_a_member_moving_from_due_soon_to_overdue_gets_a_new_alert_and_notification(cast, caseload):
    services.visit_alerts_refresh()
    due_soon = caseload["due_soon"]
    child = children(due_soon)[0]
    notes_before = digests().count()
    after_due = child.face_to_face_due + timedelta(days=1)
    counts = services.visit_alerts_refresh(today=after_due)
    assert counts["opened_overdue"] == 3 and counts["resolved"] == 3
    assert open_alerts(member=child) == [(child.pk, AlertKind.OVERDUE)]
    resolved = VisitAlert.objects.get(member=child, kind=AlertKind.DUE_SOON)
    assert resolved.resolved_at is not None
    new_notes = digests().order_by("pk")[notes_before:]
    assert {(note.recipient, note.message) for note in new_notes} == {
        (cast.worker, "3 of your case members are overdue for a face-to-face visit."),
        (cast.supervisor, "3 members in your unit became overdue."),
    }


@pytest.mark.django_db(transaction=True)
def test_it_notifies_once_per_alert_not_per_run(role_groups, cast, caseload, mailoutbox, celery_worker):
    with celery_worker():
        services.visit_alerts_refresh()
        services.visit_alerts_refresh()
        wait_for(lambda: len(digest_mails(mailoutbox)) == 2)
    worker_note = digests().get(recipient=cast.worker)
    assert worker_note.message == (
        "3 of your case members are overdue for a face-to-face visit; 3 are due within 5 days."
    )
    assert worker_note.link == reverse("my_work")
    supervisor_note = digests().get(recipient=cast.supervisor)
    assert supervisor_note.message == "3 members in your unit became overdue."
    assert supervisor_note.link == reverse("supervisor_dashboard")
    assert sorted(message.to[0] for message in digest_mails(mailoutbox)) == [cast.supervisor.email, cast.worker.email]

    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40, children=1)
    with celery_worker():
        services.visit_alerts_refresh()
        wait_for(lambda: len(digest_mails(mailoutbox)) == 4)
    latest = digests().filter(recipient=cast.worker).order_by("-pk").first()
    assert latest.message == "2 of your case members are overdue for a face-to-face visit."
    assert digests().filter(recipient=cast.worker).count() == 2
    assert len(digest_mails(mailoutbox)) == 4


def test_a_worker_who_left_is_not_notified_but_the_supervisor_is(cast):
    from accounts.services import user_deactivate

    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=35)
    user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    assert services.visit_alerts_refresh()["notified"] == 1
    assert not digests().filter(recipient=cast.worker).exists()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_open_each_alert_once_and_send_one_digest_per_recipient(role_groups, cast):
    for days in (35, 36, 27, 28):
        make_case(cast.supervisor, worker=cast.worker, opened_days_ago=days)
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(services.visit_alerts_refresh())
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
    assert sorted(result["opened_overdue"] + result["opened_due_soon"] for result in results) == [0, 12]
    alerts = open_alerts()
    assert len(alerts) == len(set(alerts)) == 12
    assert sorted(digests().values_list("recipient__username", flat=True)) == ["supervisor", "worker"]


def waits_for_the_job(action, *, alert_opened_for: CaseMember | None = None) -> bool:
    """Run action() in a thread while another connection is the job midway: holding its lock and, if
    given, having opened that member's alert, not yet committed. True when action() queued for the
    lock (seen in pg_locks) before it could finish; the job then commits and action() goes on."""
    done = threading.Event()

    def act():
        try:
            action()
            done.set()
        finally:
            connection.close()

    job = psycopg2.connect(**connection.get_connection_params())
    try:
        with job.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [services.visits.VISIT_JOB_LOCK])
            if alert_opened_for is not None:
                cursor.execute(
                    f"INSERT INTO {VisitAlert._meta.db_table} (member_id, kind, due_on, created_at) "  # noqa: S608
                    "VALUES (%s, 'overdue', %s, now())",
                    [alert_opened_for.pk, alert_opened_for.face_to_face_due],
                )
        thread = threading.Thread(target=act)
        thread.start()
        waited = False
        deadline = time.monotonic() + 20
        while not done.is_set() and not waited and time.monotonic() < deadline:
            with job.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND NOT granted",
                    [services.visits.VISIT_JOB_LOCK],
                )
                waited = cursor.fetchone()[0] > 0
            time.sleep(0.05)
        job.commit()
    finally:
        job.close()
    thread.join(timeout=10)
    assert done.is_set(), "the action finished once the job committed"
    return waited


@pytest.mark.django_db(transaction=True)
def test_a_visit_logged_while_the_job_runs_waits_for_it_and_resolves_the_alert_it_opened(role_groups, cast):
    """The race the job's lock closes: without it the visit would commit first, unable to see the job's
    uncommitted alert, and the alert would stay open until the next run."""
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=35, children=1, parents=0)
    child = children(case)[0]
    assert waits_for_the_job(lambda: log_visit(cast.worker, case, child.person), alert_opened_for=child)
    assert open_alerts() == []
    assert VisitAlert.objects.get(member=child).resolved_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_case_opened_while_the_job_runs_waits_for_it(role_groups, cast):
    """Its members may be due at once (opened as of an earlier day); between the job's count and its
    insert they would be alerted without being notified."""
    assert waits_for_the_job(lambda: make_case(cast.supervisor, worker=cast.worker, opened_days_ago=35))
    assert services.visit_alerts_refresh()["opened_overdue"] == 3


def test_a_case_member_is_never_deleted_only_ended(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=35)
    services.visit_alerts_refresh()
    member = children(case)[0]
    with pytest.raises(ProtectedError):
        member.delete()
    VisitAlert.objects.filter(member=member).delete()
    with pytest.raises(DatabaseError, match="case members cannot be deleted"), transaction.atomic():
        member.delete()
    assert CaseMember.objects.filter(pk=member.pk).exists()


def test_a_run_is_recorded_with_its_counts(caseload):
    run = services.visit_job_run(trigger=VisitJobRun.Trigger.COMMAND)
    run.refresh_from_db()
    assert run.succeeded and run.trigger == "command"
    assert run.counts == {"opened_overdue": 3, "opened_due_soon": 3, "resolved": 0, "notified": 2}


def test_a_failed_run_is_recorded_and_retried(caseload, settings):
    settings.KINDRED_VISIT_DUE_SOON_DAYS = "five"  # a broken setting: the job fails
    result = flag_overdue_visits.apply()
    assert result.failed()
    runs = VisitJobRun.objects.all()
    assert runs.count() == 1 + flag_overdue_visits.max_retries
    assert all(run.finished_at and run.error.startswith("TypeError") for run in runs)
    assert not VisitAlert.objects.exists()


def test_the_last_scheduled_run_is_today_at_the_job_hour_once_it_has_passed(settings):
    settings.KINDRED_VISIT_JOB_HOUR = 5
    tz = timezone.get_current_timezone()
    today_at_5 = datetime(2026, 3, 9, 5, 0, tzinfo=tz)
    assert services.visit_job_last_scheduled(datetime(2026, 3, 9, 4, 59, tzinfo=tz)) == today_at_5 - timedelta(days=1)
    assert services.visit_job_last_scheduled(today_at_5) == today_at_5
    assert services.visit_job_last_scheduled(datetime(2026, 3, 9, 23, 30, tzinfo=tz)) == today_at_5


def test_the_catch_up_runs_the_job_when_no_run_succeeded_since_the_scheduled_hour(caseload):
    scheduled = services.visit_job_last_scheduled()
    VisitJobRun.objects.create(
        trigger="beat", started_at=scheduled - timedelta(days=1), finished_at=scheduled - timedelta(days=1)
    )
    VisitJobRun.objects.create(trigger="beat", started_at=scheduled, finished_at=scheduled, error="OperationalError")
    assert services.visit_job_missed()
    assert visit_job_catch_up() == {"opened_overdue": 3, "opened_due_soon": 3, "resolved": 0, "notified": 2}
    assert VisitJobRun.objects.filter(trigger="catch_up", error="", finished_at__isnull=False).count() == 1


def test_the_catch_up_does_nothing_after_a_run_since_the_scheduled_hour(caseload):
    VisitJobRun.objects.create(
        trigger="beat", started_at=services.visit_job_last_scheduled(), finished_at=timezone.now()
    )
    assert not services.visit_job_missed()
    assert visit_job_catch_up() is None
    assert VisitJobRun.objects.count() == 1
    assert not VisitAlert.objects.exists()


def test_beat_runs_the_job_daily_at_the_job_hour_in_the_agency_time_zone_and_catches_up_hourly(settings):
    from config.celery import app

    daily = app.conf.beat_schedule["flag-overdue-visits"]
    assert daily["task"] == "cases.tasks.flag_overdue_visits"
    assert daily["schedule"].hour == {settings.KINDRED_VISIT_JOB_HOUR} and daily["schedule"].minute == {0}
    assert daily["kwargs"] == {"trigger": "beat"}
    assert app.conf.timezone == settings.TIME_ZONE
    catch_up = app.conf.beat_schedule["visit-job-catch-up"]
    assert catch_up["task"] == "cases.tasks.visit_job_catch_up"
    assert len(catch_up["schedule"].hour) == 24 and catch_up["schedule"].minute == {30}


def test_the_command_runs_the_job_and_prints_the_counts(caseload):
    out = StringIO()
    call_command("flag_overdue_visits", stdout=out)
    printed = out.getvalue()
    assert "opened_overdue: 3\nopened_due_soon: 3\nresolved: 0\nnotified: 2\n" in printed
    assert VisitJobRun.objects.get().trigger == "command"


def test_the_job_page_is_for_administrators(cast, client_for):
    url = reverse("visit_job_page")
    for user in (cast.worker, cast.supervisor, cast.auditor, cast.program_manager):
        assert client_for(user).get(url).status_code == 403
    services.visit_job_run(trigger=VisitJobRun.Trigger.COMMAND)
    response = client_for(cast.administrator).get(url)
    assert response.status_code == 200
    assert "manage.py flag_overdue_visits" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_and_the_start_up_catch_up_run_in_a_celery_worker_over_redis(
    role_groups, cast, caseload, celery_worker
):
    with celery_worker():
        worker_ready.send(sender=None)  # what a worker process sends once it is up
        wait_for(lambda: VisitJobRun.objects.filter(trigger="catch_up", finished_at__isnull=False).exists())
        flag_overdue_visits.delay()
        wait_for(lambda: VisitJobRun.objects.filter(trigger="beat", finished_at__isnull=False).exists())
    catch_up = VisitJobRun.objects.get(trigger="catch_up")
    beat = VisitJobRun.objects.get(trigger="beat")
    assert catch_up.counts["opened_overdue"] == 3 and catch_up.error == ""
    assert beat.counts == NOTHING and beat.error == ""
    assert len(open_alerts()) == 6


@pytest.mark.django_db(transaction=True)
def test_run_now_queues_the_job_for_a_worker_and_records_who_asked(
    role_groups, cast, caseload, client_for, celery_worker
):
    response = client_for(cast.administrator).post(reverse("visit_job_page"))
    assert response.status_code == 302
    assert not VisitJobRun.objects.exists(), "queued, not run in the request"
    with celery_worker():
        wait_for(lambda: VisitJobRun.objects.filter(finished_at__isnull=False).exists())
    run = VisitJobRun.objects.get()
    assert (run.trigger, run.requested_by, run.counts["opened_overdue"]) == ("manual", cast.administrator, 3)
    assert AuditEvent.objects.filter(action="cases.visit_job.run", actor=cast.administrator).exists()

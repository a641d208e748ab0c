"""A worker is killed in the middle of a job: nothing half-done is kept, and the next run does all the work.

A real Celery worker process (over a Redis of the test's own, on the test database) starts, and its start-up
catch-up runs the overdue-visit job. A second connection holds a lock on the notifications table, so the job
stops at its last step: its alerts are inserted, its digests are not. The worker is then killed (SIGKILL: no
warm shutdown, no `finally`), and the lock released. The next run, a worker starting again, completes the job:
every alert once, every digest once; and a run after it changes nothing.

The same shape fits any job that runs in one transaction: lock the table of its last write, run it in a worker
process, kill the process while it waits there, then run it again and count what it wrote.
"""

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import worker_ready
from django.db.models import Q

from accounts.models import Notification
from cases import services
from cases.models import VisitAlert, VisitJobRun
from tests.conftest import wait_for
from tests.factories import make_case
from tests.faults.conftest import celery_broker, worker_killed_waiting_on

pytestmark = pytest.mark.django_db(transaction=True)


def digests():
    return Notification.objects.filter(Q(message__contains="face-to-face visit") | Q(message__contains="overdue"))


def test_the_visit_job_killed_mid_run_keeps_nothing_and_the_next_run_completes_it(role_groups, cast, private_redis):
    overdue = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=35)
    due = overdue.members.count()
    written = worker_killed_waiting_on(Notification._meta.db_table, private_redis.url)
    assert VisitAlert._meta.db_table in written, "the job was killed after inserting its alerts"

    killed = VisitJobRun.objects.get()
    assert killed.finished_at is None, "the run stays on record as started and never finished"
    assert not VisitAlert.objects.exists() and not digests().exists(), "nothing of the killed run is kept"
    assert services.visit_job_missed()

    with (
        celery_broker(private_redis.url) as app,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        worker_ready.send(sender=None)  # what the restarted worker process sends once it is up
        wait_for(lambda: VisitJobRun.objects.filter(finished_at__isnull=False).exists())

    completed = VisitJobRun.objects.get(finished_at__isnull=False)
    assert completed.error == "" and completed.counts["opened_overdue"] == due
    assert VisitAlert.objects.filter(resolved_at__isnull=True).count() == due
    recipients = {cast.worker.pk, cast.supervisor.pk}
    assert sorted(digests().values_list("recipient_id", flat=True)) == sorted(recipients)
    again = services.visit_job_run(trigger=VisitJobRun.Trigger.COMMAND)
    assert again.counts == {"opened_overdue": 0, "opened_due_soon": 0, "resolved": 0, "notified": 0}

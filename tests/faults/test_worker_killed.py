"""A worker is killed in the middle of a job: nothing half-done is kept, and the next run does all the work.

A real Celery worker process (over a Redis of the test's own, on the test database) starts, and its start-up
catch-up runs the overdue-visit job. A second connection holds a lock on the notifications table, so the job
stops at its last step: its alerts are inserted, its digests are not. The worker is then killed (SIGKILL: no
warm shutdown, no `finally`), and the lock released. The next run, a worker starting again, completes the job:
every alert once, every digest once; and a run after it changes nothing.

The same shape fits any job that runs in one transaction: lock the table of its last write, run it in a worker
process, kill the process while it waits there, then run it again and count what it wrote.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import worker_ready
from django.db.models import Q

from accounts.models import Notification
from cases import services
from cases.models import VisitAlert, VisitJobRun
from tests.conftest import wait_for
from tests.factories import make_case
from tests.faults.conftest import celery_broker, database_connection, database_url

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parents[2]
# A worker process imports Django and connects: a moment, longer on a busy machine.
WORKER_START_SECONDS = 60


def lock_waiters(second) -> list[int]:
    with second.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def backend_gone(second, pid: int) -> bool:
    with second.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


def worker_process(broker_url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": broker_url}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def digests():
    return Notification.objects.filter(Q(message__contains="face-to-face visit") | Q(message__contains="overdue"))


def test_the_visit_job_killed_mid_run_keeps_nothing_and_the_next_run_completes_it(role_groups, cast, private_redis):
    overdue = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=35)
    due = overdue.members.count()
    holder = database_connection()
    holder.autocommit = False
    with holder.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{Notification._meta.db_table}" IN SHARE ROW EXCLUSIVE MODE')  # noqa: S608
    watcher = database_connection()

    worker = worker_process(private_redis.url)
    try:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while not lock_waiters(watcher) and time.monotonic() < deadline:
            time.sleep(0.1)
        [job_backend] = lock_waiters(watcher)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
        holder.rollback()
        holder.close()
    # The killed worker's backend finds its client gone once the lock is released, and rolls back.
    wait_for(lambda: backend_gone(watcher, job_backend))
    watcher.close()

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

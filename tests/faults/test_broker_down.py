"""The broker (Redis) is down when a service commits: the change stands, the request answers at once, and the
e-mail and the jobs that wait on the queue happen when the broker is back.

The broker is really stopped: a redis-server of the test's own is started, Celery is pointed at it, and the
process is ended before the request; after it, the server starts again on the same port, empty, as a broker
without persistence comes back. What brings the e-mail back is the production path: the quarter-hourly sweep
that beat sends (`send_unsent_notification_emails`), run by a real worker over the restarted broker.
"""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import worker_ready
from django.db.models import F
from django.urls import reverse

from accounts.models import Notification
from accounts.roles import Role
from accounts.tasks import UNSENT_EMAIL_GRACE, send_unsent_notification_emails
from cases.models import VisitAlert, VisitJobRun
from tests.conftest import wait_for
from tests.factories import make_case, make_staff
from tests.faults.conftest import celery_broker

pytestmark = pytest.mark.django_db(transaction=True)

# Publishing retries a refused connection a few times, a fraction of a second each: the request must not hang on it.
QUICK_ANSWER_SECONDS = 5


def sent_to(outbox, user) -> list:
    return [mail for mail in outbox if user.email in mail.to]


def test_an_assignment_made_while_the_broker_is_down_stands_and_is_emailed_when_it_is_back(
    role_groups, cast, api_for, mailoutbox, private_redis
):
    case = make_case(cast.supervisor, worker=cast.worker)
    second = make_staff("second-worker", Role.CASEWORKER, unit=cast.unit)
    with celery_broker(private_redis.url) as app:
        private_redis.stop()

        started = time.monotonic()
        response = api_for(cast.supervisor).post(
            reverse("api_case_assign", args=[case.public_id]),
            {"worker": str(second.public_id), "role": "secondary"},
            format="json",
        )
        assert response.status_code == 200
        assert time.monotonic() - started < QUICK_ANSWER_SECONDS
        assert case.assignments.filter(worker=second, role="secondary", ended_at__isnull=True).exists()
        note = Notification.objects.get(recipient=second)
        assert note.emailed_at is None
        assert not sent_to(mailoutbox, second)

        private_redis.start()
        # The sweep leaves a notification to its own task for a grace period; that much time has passed.
        Notification.objects.filter(pk=note.pk).update(
            created_at=F("created_at") - UNSENT_EMAIL_GRACE - timedelta(minutes=1)
        )
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            send_unsent_notification_emails.delay()
            wait_for(lambda: sent_to(mailoutbox, second))

    [mail] = sent_to(mailoutbox, second)
    assert f"{case.reference} was assigned to you" in mail.body
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_the_visit_job_missed_while_the_broker_was_down_runs_when_a_worker_is_back(
    role_groups, cast, mailoutbox, private_redis
):
    """Beat could not queue the daily run while the broker was down: a worker that starts makes it up at once,
    and the digests it writes are e-mailed by the same worker."""
    overdue = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=35)
    with celery_broker(private_redis.url) as app:
        private_redis.stop()
        assert not VisitJobRun.objects.exists()
        private_redis.start()
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            worker_ready.send(sender=None)  # what a worker process sends once it is up
            wait_for(lambda: VisitJobRun.objects.filter(trigger="catch_up", finished_at__isnull=False).exists())
            wait_for(lambda: any("face-to-face visit" in mail.body for mail in sent_to(mailoutbox, cast.worker)))

    run = VisitJobRun.objects.get(trigger="catch_up")
    assert run.error == "" and run.counts["opened_overdue"] == overdue.members.count()
    assert VisitAlert.objects.filter(member__case=overdue, resolved_at__isnull=True).count() == overdue.members.count()

"""A worker is killed in the middle of the investigation deadline job: nothing half-done is kept, and the next run
does all the work.

The shape of `test_worker_killed.py`: the job has no start-up catch-up, so its task is sent through a Redis of the
test's own, as beat sends it every hour, and a real Celery worker process (on the test database) takes it. A
second connection holds a lock on the notifications table, so the job stops at its last write: its flags are
inserted, its digests are not. The worker is then killed (SIGKILL: no warm shutdown, no `finally`), and the lock
released. The job runs in one transaction, so the flags go with the digests. The next hourly run completes it:
every flag once, every digest once. The killed run's message was never acknowledged (the tasks acknowledge
late), so the broker gives it again after its visibility timeout: that run changes nothing.
"""

from datetime import timedelta

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db.models import Q
from django.utils import timezone

from accounts.models import Notification
from investigations.models import DeadlineFlag
from investigations.selectors.deadlines import breached_deadlines
from investigations.tasks import flag_breached_deadlines
from tests.conftest import wait_for
from tests.factories import make_investigation
from tests.faults.conftest import celery_broker, worker_killed_waiting_on

pytestmark = pytest.mark.django_db(transaction=True)

# Where kombu's Redis transport keeps the messages a worker took and has not acknowledged yet.
UNACKED = "unacked"


def digests():
    return Notification.objects.filter(Q(message__contains="passed unmet"))


def flags():
    return sorted(
        DeadlineFlag.objects.values_list("investigation_id", "kind", "person_id", "flagged_at", "notified_at")
    )


def breached() -> list[tuple]:
    return sorted(tuple(row[:3]) for query in breached_deadlines(timezone.now()) for row in query)


@pytest.fixture
def tasks_done():
    """The tasks the in-process workers have run: their ids, and how each ended ("SUCCESS", "RETRY", ...)."""
    done: dict[str, str] = {}

    def record(task_id, state, **kwargs) -> None:
        done[task_id] = state

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


def breached_investigations(cast) -> None:
    """Two investigations of the worker's, one five days past its children's first contact, one forty days
    old (past its closure too), and one in time."""
    for days, children in ((5, 2), (40, 1)):
        received_at = timezone.now() - timedelta(days=days)
        make_investigation(cast.screener, worker=cast.worker, children=children, received_at=received_at)
    make_investigation(cast.screener, worker=cast.worker)


def test_the_deadline_job_killed_mid_run_keeps_nothing_and_the_next_run_completes_it(
    role_groups, cast, private_redis, tasks_done
):
    breached_investigations(cast)
    due = breached()
    assert len(due) >= 4
    broker = redis.Redis.from_url(private_redis.url)

    # One broker throughout: kombu keeps a producer pool per broker address, closed when leaving `celery_broker`.
    with celery_broker(private_redis.url) as app:
        killed_run = flag_breached_deadlines.delay()
        written = worker_killed_waiting_on(Notification._meta.db_table, private_redis.url)
        assert DeadlineFlag._meta.db_table in written, "the job was killed after inserting its flags"

        assert not DeadlineFlag.objects.exists() and not digests().exists(), "nothing of the killed run is kept"
        killed_messages = broker.hkeys(UNACKED)
        assert len(killed_messages) == 1, "the killed run's message is held for redelivery"

        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            next_run = flag_breached_deadlines.delay()  # the next hourly run, as beat sends it
            wait_for(lambda: next_run.id in tasks_done)

        assert tasks_done[next_run.id] == "SUCCESS"
        assert [flag[:3] for flag in flags()] == due, "every breached deadline flagged once"
        assert all(flag[4] is not None for flag in flags()), "every flag notified"
        assert sorted(digests().values_list("recipient_id", "message")) == sorted(
            [
                (cast.worker.pk, f"{len(due)} deadlines of your investigations passed unmet."),
                (cast.supervisor.pk, f"{len(due)} investigation deadlines in your unit passed unmet."),
            ]
        )

        completed = flags()
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            # What the broker does once the visibility timeout has passed: the killed run's message is queued again.
            with app.connection_for_write() as connection:
                for tag in killed_messages:
                    connection.default_channel.qos.restore_by_tag(tag)
            wait_for(lambda: killed_run.id in tasks_done)

    assert tasks_done[killed_run.id] == "SUCCESS"
    assert not broker.hlen(UNACKED), "the redelivered run was done and acknowledged"
    assert flags() == completed
    assert digests().count() == 2

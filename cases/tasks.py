"""Celery interface to the overdue-visit job. The work and its record live in services.visit_job_run."""

from celery import shared_task
from celery.signals import worker_ready

from accounts.models import User
from cases import services
from cases.models import VisitJobRun
from common.jobs import JOB_RETRY


@shared_task(**JOB_RETRY)
def flag_overdue_visits(trigger: str = VisitJobRun.Trigger.BEAT, requested_by_id: int | None = None) -> dict:
    """Open and resolve visit alerts (daily from beat; on demand from the job page)."""
    # A request whose user is gone still runs (unattributed) rather than failing and being retried forever.
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id is not None else None
    return services.visit_job_run(trigger=trigger, requested_by=requested_by).counts


@shared_task(**JOB_RETRY)
def visit_job_catch_up() -> dict | None:
    """Run the job when the latest scheduled run did not happen (Redis or beat down at the hour)."""
    if not services.visit_job_missed():
        return None
    return services.visit_job_run(trigger=VisitJobRun.Trigger.CATCH_UP).counts


@worker_ready.connect
def catch_up_when_a_worker_starts(**kwargs) -> None:
    """A worker back after an outage makes up a missed run at once, not at the next hourly check."""
    visit_job_catch_up.delay()

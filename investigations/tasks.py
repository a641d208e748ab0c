"""Celery interface to the investigation deadline job. The work lives in services.deadlines.deadline_flags_refresh."""

from celery import shared_task

from common.jobs import JOB_RETRY
from investigations.services.deadlines import deadline_flags_refresh


@shared_task(**JOB_RETRY)
def flag_breached_deadlines() -> dict:
    """Flag breached investigation deadlines, notify once per flag, resolve the met ones (hourly from beat)."""
    return deadline_flags_refresh()

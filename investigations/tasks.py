"""Celery interface to the investigation deadline job. The work lives in services.deadlines.deadline_flags_refresh."""

from celery import shared_task

from investigations.services.deadlines import deadline_flags_refresh

# Retried with exponential backoff (1, 2, 4, ... minutes up to an hour); Celery logs each retry.
RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 8,
    "acks_late": True,
}


@shared_task(**RETRY)
def flag_breached_deadlines() -> dict:
    """Flag breached investigation deadlines, notify once per flag, resolve the met ones (hourly from beat)."""
    return deadline_flags_refresh()

"""The Celery app. The beat schedule lives here, in code, so every deployment runs the same jobs."""

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kindred")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "remove-expired-access-grants": {
        "task": "accounts.tasks.remove_expired_grants",
        "schedule": crontab(minute="*/15"),
    },
    # E-mails whose task was never queued (the broker was down when the notification was made).
    "send-unsent-notification-emails": {
        "task": "accounts.tasks.send_unsent_notification_emails",
        "schedule": crontab(minute="*/15"),
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(minute=30, hour=2),
    },
    # Crontab hours are in CELERY_TIMEZONE, the agency's time zone.
    "flag-overdue-visits": {
        "task": "cases.tasks.flag_overdue_visits",
        "schedule": crontab(minute=0, hour=settings.KINDRED_VISIT_JOB_HOUR),
        "kwargs": {"trigger": "beat"},
    },
    # Makes up a daily run missed while Redis, beat or the workers were down; a no-op otherwise.
    # At half past, so that it never races the daily run at the hour.
    "visit-job-catch-up": {
        "task": "cases.tasks.visit_job_catch_up",
        "schedule": crontab(minute=30),
    },
    # Investigations' deadlines are counted in hours: checked every hour.
    "flag-breached-investigation-deadlines": {
        "task": "investigations.tasks.flag_breached_deadlines",
        "schedule": crontab(minute=settings.KINDRED_DEADLINE_JOB_MINUTE),
    },
}

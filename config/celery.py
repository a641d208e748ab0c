"""The Celery app. The beat schedule lives here, in code, so every deployment runs the same jobs."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kindred")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "remove-expired-access-grants": {
        "task": "accounts.tasks.remove_expired_grants",
        "schedule": crontab(minute="*/15"),
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(minute=30, hour=2),
    },
}

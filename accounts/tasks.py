from datetime import timedelta

from celery import shared_task

from accounts import mail, services
from common.jobs import JOB_RETRY

# The sweep leaves a notification this long to the task queued when it was made, and gives up
# on one older than the window: by then its news is stale, and the notification is in the app.
UNSENT_EMAIL_GRACE = timedelta(minutes=10)
UNSENT_EMAIL_WINDOW = timedelta(days=2)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def remove_expired_grants() -> int:
    return services.grants_remove_expired()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def clear_expired_sessions() -> int:
    return services.sessions_clear_expired()


@shared_task(**JOB_RETRY)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail these notifications (those not sent yet); retried while the mail server fails."""
    return mail.notifications_email(ids=notification_ids)


@shared_task
def send_unsent_notification_emails() -> int:
    """Queue again the e-mails of notifications whose task never ran (the queue was down when they were made)."""
    ids = mail.notifications_unsent(older_than=UNSENT_EMAIL_GRACE, within=UNSENT_EMAIL_WINDOW)
    queue_emails(ids)
    return len(ids)


def queue_emails(ids: list[int]) -> None:
    """One e-mail task per batch of notifications."""
    for batch in mail.email_batches(ids):
        send_notification_emails.delay(batch)

"""E-mail copies of notifications: which go out, in what batches, and sending them once each.

The layer under the tasks that send them (`accounts.tasks`) and the notifications that queue
them (`accounts.notifications`), so neither imports the other's caller.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from accounts.models import Notification

# Notifications per e-mail task: a large digest run is spread over several tasks (and workers).
EMAIL_BATCH = 500


def email_batches(ids: list[int]) -> list[list[int]]:
    """The notifications each e-mail task gets: EMAIL_BATCH at most."""
    return [ids[start : start + EMAIL_BATCH] for start in range(0, len(ids), EMAIL_BATCH)]


def notifications_email(*, ids: list[int]) -> int:
    """Send the e-mail copies of these notifications that have not been sent, over one connection.

    Each is stamped as sent in the same transaction that holds its row, so two workers never
    send the same one and a retry after a failure sends only what is left. Returns how many went.
    """
    sent: list[int] = []
    failure = None
    with transaction.atomic():
        notes = (
            Notification.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(pk__in=ids, emailed_at__isnull=True)
            .exclude(recipient__email="")
            .select_related("recipient")
            .order_by("pk")
        )
        with get_connection() as connection:
            for note in notes:
                try:
                    connection.send_messages([_message(note)])
                except Exception as error:  # noqa: BLE001 - stamp what went out, then fail for a retry
                    failure = error
                    break
                sent.append(note.pk)
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    if failure is not None:
        raise failure
    return len(sent)


def notifications_unsent(*, older_than: timedelta, within: timedelta) -> list[int]:
    """Notifications with an address whose e-mail has not gone out, made between `within` and `older_than` ago."""
    now = timezone.now()
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lte=now - older_than, created_at__gte=now - within
        )
        .exclude(recipient__email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def site_link(path: str) -> str:
    """A page's address as a recipient of an e-mail can open it: SITE_URL, then the page's path."""
    return settings.SITE_URL + path


def _message(note: Notification) -> EmailMessage:
    text = f"{note.message}\n{note.title}" if note.title else note.message
    body = f"{text}\n\nOpen Kindred to see it: {site_link(note.link)}" if note.link else text
    return EmailMessage("Kindred: " + note.message[:80], body, settings.DEFAULT_FROM_EMAIL, [note.recipient.email])

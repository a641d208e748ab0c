"""In-app notifications, with an e-mail copy sent once the change that caused them has committed."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, User

# Notifications per e-mail task: a large digest run is spread over several tasks (and workers).
EMAIL_BATCH = 500


def notify(*, recipients, message: str, link: str = "", key: str = "") -> list[Notification]:
    """Notify each recipient once; with a key, a repeat call for the same recipient and key does nothing."""
    created = []
    for recipient in {user.pk: user for user in recipients if user is not None and user.is_active}.values():
        if key and Notification.objects.filter(recipient=recipient, key=key).exists():
            continue
        created.append(Notification.objects.create(recipient=recipient, message=message, link=link, key=key))
    email_on_commit(created)
    return created


def email_on_commit(notes: list[Notification]) -> None:
    """Queue the e-mail copies of these notifications once the transaction that made them has committed.

    A worker sends them (`accounts.tasks.send_notification_emails`), so a mail server that is slow
    or down neither holds up nor undoes the change. Should the queue itself be unreachable, the
    change still stands and the periodic sweep sends the e-mails later.
    """
    ids = [note.pk for note in notes if note.recipient.email]
    if ids:
        transaction.on_commit(lambda: queue_emails(ids), robust=True)


def email_batches(ids: list[int]) -> list[list[int]]:
    """The notifications each e-mail task gets: EMAIL_BATCH at most."""
    return [ids[start : start + EMAIL_BATCH] for start in range(0, len(ids), EMAIL_BATCH)]


def queue_emails(ids: list[int]) -> None:
    """One e-mail task per batch of notifications."""
    from accounts.tasks import send_notification_emails

    for batch in email_batches(ids):
        send_notification_emails.delay(batch)


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


def _message(note: Notification) -> EmailMessage:
    body = f"{note.message}\n\nOpen Kindred to see it: {note.link}" if note.link else note.message
    return EmailMessage("Kindred: " + note.message[:80], body, settings.DEFAULT_FROM_EMAIL, [note.recipient.email])


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: User):
    return Notification.objects.filter(recipient=user)


@transaction.atomic
def notifications_mark_read(*, user: User, public_id=None) -> int:
    """Mark one of the user's notifications read, or all of them when no id is given."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if public_id is not None:
        unread = unread.filter(public_id=public_id)
    return unread.update(read_at=timezone.now())

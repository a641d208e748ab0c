"""In-app notifications, with an e-mail copy sent once the change that caused them has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification, User


def notify(*, recipients, message: str, link: str = "", key: str = "") -> list[Notification]:
    """Notify each recipient once; with a key, a repeat call for the same recipient and key does nothing."""
    created = []
    for recipient in {user.pk: user for user in recipients if user is not None and user.is_active}.values():
        if key and Notification.objects.filter(recipient=recipient, key=key).exists():
            continue
        created.append(Notification.objects.create(recipient=recipient, message=message, link=link, key=key))
    emails = [note.recipient.email for note in created if note.recipient.email]
    if emails:
        transaction.on_commit(lambda: _send(emails, message, link))
    return created


def _send(emails: list[str], message: str, link: str) -> None:
    body = f"{message}\n\nOpen Kindred to see it: {link}" if link else message
    for email in emails:
        send_mail("Kindred: " + message[:80], body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)


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

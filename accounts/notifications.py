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
    email_on_commit(created)
    return created


def email_on_commit(notes: list[Notification]) -> None:
    """E-mail each notification to its recipient once the transaction that made it has committed."""
    mail = [(note.recipient.email, note.message, note.link) for note in notes if note.recipient.email]
    if mail:
        transaction.on_commit(lambda: _send(mail))


def _send(mail: list[tuple[str, str, str]]) -> None:
    for email, message, link in mail:
        body = f"{message}\n\nOpen Kindred to see it: {link}" if link else message
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

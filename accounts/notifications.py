"""In-app notifications, with an e-mail copy sent once the change that caused them has committed."""

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone

from accounts import access, naming
from accounts.models import Notification, User
from accounts.tasks import queue_emails


def notify(
    *, recipients, message: str, link: str = "", key: str = "", record=None, kind: str = Notification.GENERAL_KIND
) -> list[Notification]:
    """Notify each recipient once; with a key, a repeat call for the same recipient and key does nothing.

    About a record, each recipient's notification names it as that recipient may see it (`accounts.naming`)
    and carries when its work is due, so their list puts the most urgent first."""
    created = []
    for recipient in {user.pk: user for user in recipients if user is not None and user.is_active}.values():
        if key and Notification.objects.filter(recipient=recipient, key=key).exists():
            continue
        title = naming.title_for(recipient, record) if record is not None else None
        created.append(
            Notification.objects.create(
                recipient=recipient,
                message=message,
                link=link,
                key=key,
                kind=kind,
                title=str(title)[:300] if title else "",
                due_at=_moment(title.due) if title else None,
            )
        )
    email_on_commit(created)
    return created


def _moment(due: date | datetime | None) -> datetime | None:
    """A due date as the moment it begins (a visit due on a day is due from its start)."""
    if due is None or isinstance(due, datetime):
        return due
    return timezone.make_aware(datetime.combine(due, time.min))


def record_kind(record) -> str:
    """The group a record's notifications are listed under: "Cases", "Investigations", ..."""
    return str(record._meta.verbose_name_plural).capitalize()


def notify_about(*, record, recipients, message: str, link: str = "", key: str = "") -> list[Notification]:
    """Notify each recipient about a case record, never naming a restricted record to someone not cleared for it.

    A recipient without the record's clearance is not told; the record's cleared supervisors are (or, failing
    them, the program managers holding the clearance), with a word on whom the notice was meant for.
    """
    recipients = [user for user in recipients if user is not None and user.is_active]
    restriction = access.restriction_of(record)
    cleared = [user for user in recipients if access.holds_clearance(user, restriction)]
    about = {"record": record, "kind": record_kind(record)}
    created = notify(recipients=cleared, message=message, link=link, key=key, **about)
    uncleared = [user for user in recipients if user not in cleared]
    if uncleared:
        overseers = access.cleared_overseers(record)
        for user in uncleared:
            created += notify(
                recipients=overseers,
                message=f"{message} (meant for {user.display_name}, who is not cleared for this record)",
                link=link,
                key=f"{key}:meant-for:{user.pk}" if key else "",
                **about,
            )
    return created


def email_on_commit(notes: list[Notification]) -> None:
    """Queue the e-mail copies of these notifications once the transaction that made them has committed.

    A worker sends them (`accounts.tasks.send_notification_emails`, through `accounts.mail`), so a
    mail server that is slow or down neither holds up nor undoes the change. Should the queue itself be unreachable, the
    change still stands and the periodic sweep sends the e-mails later.
    """
    ids = [note.pk for note in notes if note.recipient.email]
    if ids:
        transaction.on_commit(lambda: queue_emails(ids), robust=True)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: User):
    return Notification.objects.filter(recipient=user)


def notification_list(user: User):
    """The user's notifications as their page lists them: unread first, grouped by kind (those of no known kind
    last), the soonest due first within a group (then the newest)."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    kind_unknown = ExpressionWrapper(Q(kind=""), output_field=BooleanField())
    return notifications_for(user).order_by(
        unread.desc(),
        kind_unknown.asc(),
        "kind",
        F("due_at").asc(nulls_last=True),
        "-created_at",
    )


@transaction.atomic
def notifications_mark_read(*, user: User, public_id=None) -> int:
    """Mark one of the user's notifications read, or all of them when no id is given."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if public_id is not None:
        unread = unread.filter(public_id=public_id)
    return unread.update(read_at=timezone.now())

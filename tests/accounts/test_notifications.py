"""Each staff member reads their own notifications; nobody reads anyone else's."""

from datetime import datetime, timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone

from accounts.mail import notifications_email
from accounts.models import Notification, User
from accounts.notifications import notify, notify_about
from accounts.tasks import send_unsent_notification_emails
from tests.conftest import wait_for
from tests.factories import make_investigation

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_a_notification_is_sent_once_per_key_with_one_email_each(role_groups, cast, mailoutbox, celery_worker):
    with celery_worker():
        notify(recipients=[cast.worker, cast.supervisor], message="Report ABC awaits you.", key="k1")
        notify(recipients=[cast.worker], message="Report ABC awaits you.", key="k1")
        wait_for(lambda: len(mailoutbox) == 2)
    assert Notification.objects.filter(key="k1").count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.worker.email, cast.supervisor.email])
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_menu_shows_the_unread_count_and_the_list_marks_read(cast, client_for):
    notify(recipients=[cast.worker], message="Investigation X was assigned to you.", link="/investigations/")
    client = client_for(cast.worker)
    page = client.get(reverse("home")).content.decode()
    assert "1 unread notifications" in page
    assert "Investigation X was assigned to you." in client.get(reverse("notification_list")).content.decode()
    note = Notification.objects.get(recipient=cast.worker)
    response = client.post(reverse("notification_read"), {"id": str(note.public_id)})
    assert response.status_code == 302 and response["Location"] == "/investigations/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_marks_or_reads_someone_elses_notifications(cast, client_for, api_for):
    notify(recipients=[cast.worker], message="For the worker only.")
    note = Notification.objects.get(recipient=cast.worker)
    client_for(cast.other_worker).post(reverse("notification_read"), {"id": str(note.public_id)})
    note.refresh_from_db()
    assert note.read_at is None
    assert (
        "For the worker only." not in client_for(cast.other_worker).get(reverse("notification_list")).content.decode()
    )
    api = api_for(cast.other_worker)
    assert api.get(reverse("api_notification_list")).json()["count"] == 0
    assert api.post(reverse("api_notification_read", args=[note.public_id])).status_code == 404


def test_the_api_lists_unread_and_marks_one_read(cast, api_for):
    notify(recipients=[cast.worker], message="One.")
    notify(recipients=[cast.worker], message="Two.")
    api = api_for(cast.worker)
    rows = api.get(reverse("api_notification_list"), {"unread": "1"}).json()["results"]
    assert {row["message"] for row in rows} == {"One.", "Two."}
    response = api.post(reverse("api_notification_read", args=[rows[0]["id"]]))
    assert response.status_code == 200 and response.json()["read_at"]
    assert api.get(reverse("api_notification_list"), {"unread": "1"}).json()["count"] == 1


def test_the_api_gives_each_notification_its_kind_title_and_due_date_as_the_page_does(cast, api_for):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    Notification.objects.all().delete()
    notify_about(record=investigation, recipients=[cast.worker], message="An investigation to start.")
    note = Notification.objects.get(recipient=cast.worker)
    [row] = api_for(cast.worker).get(reverse("api_notification_list")).json()["results"]
    assert row["kind"] == note.kind == "Investigations"
    assert row["title"] == note.title and investigation.reference in row["title"]
    assert note.due_at and datetime.fromisoformat(row["due_at"]) == note.due_at


class MailServerFailingOnTheSecond(locmem.EmailBackend):
    """A mail server that takes one message, then fails (e-mail delivery is outside our system)."""

    taken = 0

    def send_messages(self, messages):
        if MailServerFailingOnTheSecond.taken >= 1:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        MailServerFailingOnTheSecond.taken += 1
        return super().send_messages(messages)


def test_a_mail_server_failure_keeps_what_went_out_and_the_retry_sends_only_the_rest(cast, mailoutbox, settings):
    notes = notify(recipients=[cast.worker, cast.supervisor], message="Report ABC awaits you.")
    ids = [note.pk for note in notes]
    settings.EMAIL_BACKEND = "tests.accounts.test_notifications.MailServerFailingOnTheSecond"
    with pytest.raises(SMTPServerDisconnected):
        notifications_email(ids=ids)
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(pk__in=ids, emailed_at__isnull=False).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_email(ids=ids) == 1
    assert notifications_email(ids=ids) == 0
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([cast.worker.email, cast.supervisor.email])


def test_staff_without_an_address_get_the_notification_in_the_app_only(cast, mailoutbox):
    User.objects.filter(pk=cast.worker.pk).update(email="")
    cast.worker.refresh_from_db()
    (note,) = notify(recipients=[cast.worker], message="Investigation X was assigned to you.")
    assert notifications_email(ids=[note.pk]) == 0
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_the_sweep_sends_the_emails_whose_task_never_ran(role_groups, cast, mailoutbox, celery_worker):
    """Made while the queue was down: the notification stands, and its e-mail goes out at the next sweep."""
    now = timezone.now()

    def made(ago: timedelta, message: str) -> Notification:
        # Created as the service does, but without the e-mail task it would queue.
        return Notification.objects.create(recipient=cast.worker, message=message, created_at=now - ago)

    made(timedelta(minutes=15), "Made while the queue was down.")
    made(timedelta(minutes=1), "Its own task is still on its way.")
    made(timedelta(days=3), "Too old to send now.")
    with celery_worker():
        send_unsent_notification_emails.delay()
        wait_for(lambda: len(mailoutbox) == 1)
    assert [mail.body for mail in mailoutbox] == ["Made while the queue was down."]
    assert Notification.objects.get(message="Made while the queue was down.").emailed_at is not None


def test_the_sweep_runs_every_quarter_hour():
    from config.celery import app

    sweep = app.conf.beat_schedule["send-unsent-notification-emails"]
    assert sweep["task"] == "accounts.tasks.send_unsent_notification_emails"
    assert sweep["schedule"].minute == {0, 15, 30, 45}

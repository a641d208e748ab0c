"""Each staff member reads their own notifications; nobody reads anyone else's."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.notifications import notify

pytestmark = pytest.mark.django_db


def test_a_notification_is_sent_once_per_key_with_one_email_each(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.worker, cast.supervisor], message="Report ABC awaits you.", key="k1")
        notify(recipients=[cast.worker], message="Report ABC awaits you.", key="k1")
    assert Notification.objects.filter(key="k1").count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.worker.email, cast.supervisor.email])


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

"""Every link in an e-mail is absolute, from SITE_URL: a recipient cannot open a bare path, and the request's
host is not the address staff reach Kindred at."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts.mail import notifications_email
from accounts.notifications import notify
from accounts.roles import Role
from tests.factories import approving_administrator

pytestmark = pytest.mark.django_db

SITE_URL = "https://kindred.example.org"


def test_a_notifications_link_begins_with_the_site_url(cast, mailoutbox, settings):
    settings.SITE_URL = SITE_URL
    link = reverse("staff_list")
    (note,) = notify(recipients=[cast.worker], message="Look at this.", link=link)
    assert notifications_email(ids=[note.pk]) == 1
    assert f"Open Kindred to see it: {SITE_URL}{link}" in mailoutbox[0].body


def test_a_notification_without_a_link_has_none(cast, mailoutbox, settings):
    settings.SITE_URL = SITE_URL
    (note,) = notify(recipients=[cast.worker], message="Nothing to open.")
    notifications_email(ids=[note.pk])
    assert mailoutbox[0].body == "Nothing to open."


def test_the_one_time_password_link_begins_with_the_site_url_whatever_the_requests_host(
    cast, api_for, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE_URL
    settings.ALLOWED_HOSTS = ["testserver", "intruder.example"]
    created = api_for(cast.administrator).post(
        reverse("api_staff_list"),
        {
            "username": "sam",
            "first_name": "Sam",
            "last_name": "Reyes",
            "email": "sam@example.org",
            "roles": [Role.CASEWORKER.value],
            "reason": "New caseworker.",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    with django_capture_on_commit_callbacks(execute=True):
        approved = api_for(approving_administrator()).post(
            reverse("api_change_request_approve", args=[created.json()["pending_request"]["id"]]),
            HTTP_HOST="intruder.example",
        )
    assert approved.status_code == 200, approved.content
    link = next(line.strip() for line in mailoutbox[0].body.splitlines() if "/set-password/" in line)
    assert link.startswith(SITE_URL + "/")
    assert urlsplit(link).netloc == "kindred.example.org"

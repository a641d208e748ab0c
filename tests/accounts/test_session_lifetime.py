"""A session ends SESSION_MAX_HOURS after sign-in, however active it has been; the idle timeout still holds."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.audit import describe
from accounts.models import AuditEvent, UserSession
from accounts.sign_in import SIGNED_IN_AT
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def signed_in_ago(client: Client, age: timedelta) -> None:
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - age).timestamp()
    session.save()


def test_the_maximum_is_twelve_hours_by_default():
    assert django_settings.KINDRED_SESSION_MAX_HOURS == 12


def test_a_session_within_its_maximum_goes_on(cast):
    client = Client()
    sign_in(client, cast.worker.username)
    signed_in_ago(client, timedelta(hours=11, minutes=59))
    assert client.get(reverse("home")).status_code == 200
    assert signed_in(client)


def test_a_busy_session_ends_at_its_maximum_whatever_the_activity(cast):
    client = Client()
    sign_in(client, cast.worker.username)
    key = client.session.session_key
    # Active all day: every request pushed the idle expiry forward, so only the absolute limit ends it.
    signed_in_ago(client, timedelta(hours=12, seconds=1))
    response = client.get(reverse("home"), REMOTE_ADDR="198.51.100.23")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not signed_in(client)
    assert not UserSession.objects.filter(session_key=key).exists()
    event = AuditEvent.objects.get(action="accounts.user.session_outlived", target_id=str(cast.worker.public_id))
    assert event.actor is None
    assert event.ip_address == "198.51.100.23"
    assert describe(event) == f"The session of {cast.worker.display_name} ended at its maximum length."
    assert not AuditEvent.objects.filter(action="accounts.user.signed_out").exists()


def test_the_api_answers_an_outlived_session_as_signed_out(cast):
    api = APIClient()
    sign_in(api, cast.worker.username)
    assert api.get(reverse("api_me")).status_code == 200
    signed_in_ago(api, timedelta(hours=13))
    assert api.get(reverse("api_me")).status_code == 403


def test_the_maximum_is_a_setting(cast, settings):
    settings.KINDRED_SESSION_MAX_HOURS = 1
    client = Client()
    sign_in(client, cast.worker.username)
    signed_in_ago(client, timedelta(minutes=61))
    assert client.get(reverse("home")).status_code == 302


def test_a_session_with_no_sign_in_time_is_ended(cast):
    client = Client()
    sign_in(client, cast.worker.username)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get(reverse("home")).status_code == 302
    assert not signed_in(client)


def test_signing_in_again_starts_a_new_maximum(cast):
    client = Client()
    sign_in(client, cast.worker.username)
    signed_in_ago(client, timedelta(hours=12, seconds=1))
    client.get(reverse("home"))
    sign_in(client, cast.worker.username)
    assert client.get(reverse("home")).status_code == 200

"""The optional second factor: enrolling an authenticator app (TOTP), signing in with its codes, and the
agency setting that requires it of administrators. Codes are computed with django-otp's own TOTP."""

import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import second_factor
from accounts.audit import describe
from accounts.models import AuditEvent, User
from accounts.sign_in import PASSWORD_ENTERED_AT, PENDING_SIGN_IN
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the user's app shows now (or that many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user: User) -> TOTPDevice:
    """A user who enrolled through the real services. Their next sign-in uses the following step's code,
    since a code already used is refused."""
    device = second_factor.totp_enrolment_start(user=user)
    return second_factor.totp_enrolment_confirm(user=user, token=code_for(device))


def password_step(client: Client, username: str, **data):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD, **data})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# Enrolment


def test_the_page_shows_the_secret_and_the_link_an_app_takes(cast):
    client = Client()
    password_step(client, cast.worker.username)
    response = client.get(reverse("second_factor"))
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=cast.worker)
    assert not device.confirmed
    page = response.content.decode()
    assert second_factor.secret_of(device) in page
    assert re.search(r'href="otpauth://totp/[^"]*secret=[A-Z2-7]+', page)
    # Reloading shows the same secret: the one the app may already hold.
    assert second_factor.secret_of(device) in client.get(reverse("second_factor")).content.decode()
    assert TOTPDevice.objects.filter(user=cast.worker).count() == 1


def test_a_first_code_from_the_app_turns_it_on(cast):
    client = Client()
    password_step(client, cast.worker.username)
    client.get(reverse("second_factor"))
    device = TOTPDevice.objects.get(user=cast.worker)
    response = client.post(reverse("second_factor"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(action="accounts.user.second_factor_enrolled")
    assert event.actor == cast.worker
    assert event.target_id == str(cast.worker.public_id)
    assert "second factor" in describe(event)
    assert "Your second factor is set up" in client.get(reverse("second_factor")).content.decode()


def test_a_wrong_code_does_not_turn_it_on(cast):
    client = Client()
    password_step(client, cast.worker.username)
    client.get(reverse("second_factor"))
    device = TOTPDevice.objects.get(user=cast.worker)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("second_factor"), {"code": wrong})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEvent.objects.filter(action="accounts.user.second_factor_enrolled").exists()


# Signing in


def test_without_a_device_the_password_signs_in_as_before(cast):
    client = Client()
    assert password_step(client, cast.worker.username)["Location"] == reverse("home")
    assert signed_in(client)


def test_with_a_device_the_password_alone_does_not_sign_in(cast):
    enrolled(cast.worker)
    client = Client()
    response = password_step(client, cast.worker.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("sign_in_code")
    assert not signed_in(client)
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("sign_in_code")).status_code == 200


def test_the_code_completes_the_sign_in_and_keeps_where_the_user_was_going(cast):
    device = enrolled(cast.worker)
    client = Client()
    client.post(
        f"{reverse('login')}?next={reverse('notification_list')}",
        {"username": cast.worker.username, "password": PASSWORD, "next": reverse("notification_list")},
    )
    response = client.post(reverse("sign_in_code"), {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302
    assert response["Location"] == reverse("notification_list")
    assert signed_in(client)
    assert PENDING_SIGN_IN not in client.session
    assert AuditEvent.objects.filter(action="accounts.user.signed_in", actor=cast.worker).exists()


def test_a_wrong_code_does_not_sign_in_and_is_audited(cast):
    device = enrolled(cast.worker)
    client = Client()
    password_step(client, cast.worker.username)
    wrong = f"{(int(code_for(device, steps_ahead=1)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("sign_in_code"), {"code": wrong})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert not signed_in(client)
    event = AuditEvent.objects.get(action="accounts.user.sign_in_failed")
    assert event.target_id == str(cast.worker.public_id)
    assert event.changes == {"step": "one-time code"}
    assert wrong not in f"{event.changes} {event.target_label}"


def test_a_used_code_is_refused(cast):
    device = enrolled(cast.worker)
    code = code_for(device, steps_ahead=1)
    first = Client()
    password_step(first, cast.worker.username)
    first.post(reverse("sign_in_code"), {"code": code})
    assert signed_in(first)
    second = Client()
    password_step(second, cast.worker.username)
    second.post(reverse("sign_in_code"), {"code": code})
    assert not signed_in(second)


def test_the_code_step_needs_the_password_step_first_and_waits_five_minutes(cast):
    device = enrolled(cast.worker)
    assert Client().get(reverse("sign_in_code"))["Location"] == reverse("login")
    client = Client()
    password_step(client, cast.worker.username)
    session = client.session
    session[PENDING_SIGN_IN]["at"] = (timezone.now() - timedelta(minutes=5, seconds=1)).timestamp()
    session.save()
    response = client.post(reverse("sign_in_code"), {"code": code_for(device, steps_ahead=1)})
    assert response["Location"] == reverse("login")
    assert not signed_in(client)


def test_wrong_codes_count_towards_the_lockout(cast):
    device = enrolled(cast.worker)
    client = Client()
    password_step(client, cast.worker.username)
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        # django-otp slows wrong codes down by itself; a clean throttle each time leaves only axes' limit.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        client.post(reverse("sign_in_code"), {"code": "000000"})
    response = client.post(reverse("sign_in_code"), {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 429
    assert not signed_in(client)


# Required for administrators


def test_it_is_not_required_by_default():
    assert django_settings.KINDRED_REQUIRE_ADMIN_SECOND_FACTOR is False


def test_required_an_administrator_without_a_device_can_only_enrol(cast, settings):
    settings.KINDRED_REQUIRE_ADMIN_SECOND_FACTOR = True
    client = Client()
    assert password_step(client, cast.administrator.username).status_code == 302
    for path in [reverse("home"), reverse("staff_list"), reverse("audit_list"), reverse("unit_list")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("second_factor"), path
    response = client.get(reverse("second_factor"))
    assert response.status_code == 200
    assert "requires administrators" in response.content.decode()

    api = APIClient()
    password_step(api, cast.administrator.username)
    response = api.get(reverse("api_staff_list"))
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


def test_required_an_administrator_with_a_stale_password_may_confirm_it_to_enrol(cast, settings):
    settings.KINDRED_REQUIRE_ADMIN_SECOND_FACTOR = True
    client = Client()
    password_step(client, cast.administrator.username)
    session = client.session
    session[PASSWORD_ENTERED_AT] = (timezone.now() - timedelta(minutes=16)).timestamp()
    session.save()
    assert client.get(reverse("second_factor"))["Location"].startswith(reverse("reauthenticate"))
    assert client.get(reverse("reauthenticate")).status_code == 200
    client.post(reverse("reauthenticate"), {"password": PASSWORD, "next": reverse("second_factor")})
    assert client.get(reverse("second_factor")).status_code == 200


def test_required_an_administrator_may_still_sign_out(cast, settings):
    settings.KINDRED_REQUIRE_ADMIN_SECOND_FACTOR = True
    client = Client()
    password_step(client, cast.administrator.username)
    client.post(reverse("logout"))
    assert not signed_in(client)


def test_required_an_administrator_works_once_enrolled_and_signs_in_with_a_code(cast, settings):
    settings.KINDRED_REQUIRE_ADMIN_SECOND_FACTOR = True
    client = Client()
    password_step(client, cast.administrator.username)
    client.get(reverse("second_factor"))
    device = TOTPDevice.objects.get(user=cast.administrator)
    client.post(reverse("second_factor"), {"code": code_for(device)})
    assert client.get(reverse("staff_list")).status_code == 200

    later = Client()
    assert password_step(later, cast.administrator.username)["Location"] == reverse("sign_in_code")
    later.post(reverse("sign_in_code"), {"code": code_for(device, steps_ahead=1)})
    assert later.get(reverse("staff_list")).status_code == 200


def test_required_for_administrators_only(cast, settings):
    settings.KINDRED_REQUIRE_ADMIN_SECOND_FACTOR = True
    client = Client()
    password_step(client, cast.worker.username)
    assert client.get(reverse("home")).status_code == 200


def test_a_lost_phone_is_removed_from_the_command_line_and_audited(cast):
    enrolled(cast.worker)
    call_command("remove_second_factor", cast.worker.username, stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=cast.worker).exists()
    event = AuditEvent.objects.get(action="accounts.user.second_factor_removed")
    assert event.actor is None
    assert event.target_id == str(cast.worker.public_id)
    client = Client()
    assert password_step(client, cast.worker.username)["Location"] == reverse("home")
    with pytest.raises(CommandError, match="no second factor"):
        call_command("remove_second_factor", cast.worker.username)

"""Sign-in, sessions, passwords and response headers: the defences every page relies on."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import AuditEvent, User, UserSession
from config import settings as project_settings
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-quiet-lantern-over-the-river"


def sign_in(client: Client, username: str, password: str, ip: str = "127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def session_expiry(client: Client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


# Sign-in and lockout


def test_it_signs_in_with_the_right_password_and_audits_it(cast):
    client = Client()
    response = sign_in(client, cast.worker.username, PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in(client)
    event = AuditEvent.objects.get(action="accounts.user.signed_in", target_id=str(cast.worker.public_id))
    assert event.actor == cast.worker
    assert event.ip_address == "198.51.100.20"


def test_it_audits_sign_out_and_ends_the_session(cast):
    client = Client()
    sign_in(client, cast.worker.username, PASSWORD)
    key = client.session.session_key
    assert UserSession.objects.filter(user=cast.worker, session_key=key).exists()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not signed_in(client)
    assert not UserSession.objects.filter(session_key=key).exists()
    assert not Session.objects.filter(session_key=key).exists()
    event = AuditEvent.objects.get(action="accounts.user.signed_out", target_id=str(cast.worker.public_id))
    assert event.actor == cast.worker


def test_an_unknown_username_and_a_wrong_password_get_the_same_answer(cast):
    unknown = sign_in(Client(), "nobody-by-this-name", PASSWORD)
    wrong = sign_in(Client(), cast.worker.username, "not-the-password-at-all")
    assert unknown.status_code == wrong.status_code == 200
    unknown_errors = unknown.context["form"].non_field_errors()
    wrong_errors = wrong.context["form"].non_field_errors()
    assert unknown_errors == wrong_errors
    assert "correct username and password" in str(wrong_errors)


def test_a_deactivated_user_gets_the_same_answer_as_a_wrong_password(cast):
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    deactivated = sign_in(Client(), cast.worker.username, PASSWORD)
    wrong = sign_in(Client(), cast.other_worker.username, "not-the-password-at-all")
    assert deactivated.status_code == 200
    assert deactivated.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_it_locks_a_username_and_address_after_the_failure_limit(cast):
    client = Client()
    limit = django_settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert sign_in(client, cast.worker.username, "wrong-password-guess", ip="203.0.113.9").status_code == 200
    locked = sign_in(client, cast.worker.username, "wrong-password-guess", ip="203.0.113.9")
    assert locked.status_code == 429
    assert "temporarily locked" in locked.content.decode()

    # Even the right password is refused from that address for that username.
    response = sign_in(client, cast.worker.username, PASSWORD, ip="203.0.113.9")
    assert response.status_code == 429
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="accounts.user.locked_out", target_id=str(cast.worker.public_id)).exists()
    assert not AuditEvent.objects.filter(action="accounts.user.signed_in", actor=cast.worker).exists()


def test_a_lockout_does_not_reach_other_usernames_or_addresses(cast):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), cast.worker.username, "wrong-password-guess", ip="203.0.113.9")
    assert sign_in(Client(), cast.worker.username, PASSWORD, ip="203.0.113.9").status_code == 429

    same_user_elsewhere = Client()
    assert sign_in(same_user_elsewhere, cast.worker.username, PASSWORD, ip="198.51.100.1").status_code == 302
    assert signed_in(same_user_elsewhere)
    other_user_same_address = Client()
    assert sign_in(other_user_same_address, cast.supervisor.username, PASSWORD, ip="203.0.113.9").status_code == 302
    assert signed_in(other_user_same_address)


def test_failures_below_the_limit_are_forgotten_after_a_successful_sign_in(cast):
    limit = django_settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        sign_in(Client(), cast.worker.username, "wrong-password-guess")
    assert sign_in(Client(), cast.worker.username, PASSWORD).status_code == 302
    for _ in range(limit - 1):
        sign_in(Client(), cast.worker.username, "wrong-password-guess")
    assert sign_in(Client(), cast.worker.username, PASSWORD).status_code == 302


# Sessions


def test_sessions_end_after_thirty_idle_minutes():
    assert django_settings.SESSION_COOKIE_AGE == 1800
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    assert django_settings.SESSION_COOKIE_HTTPONLY is True


def test_each_request_pushes_the_session_expiry_forward(cast):
    client = Client()
    sign_in(client, cast.worker.username, PASSWORD)
    # Pretend the user has been idle for 29 minutes: one minute of the session is left.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get(reverse("home")).status_code == 200
    assert session_expiry(client) > timezone.now() + timedelta(minutes=29)


def test_an_idle_session_past_its_expiry_is_signed_out(cast):
    client = Client()
    sign_in(client, cast.worker.username, PASSWORD)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_deactivating_a_user_ends_all_of_their_sessions(cast):
    desk, laptop = Client(), Client()
    sign_in(desk, cast.worker.username, PASSWORD)
    sign_in(laptop, cast.worker.username, PASSWORD, ip="198.51.100.30")
    keys = {desk.session.session_key, laptop.session.session_key}
    assert len(keys) == 2
    assert set(UserSession.objects.filter(user=cast.worker).values_list("session_key", flat=True)) == keys
    assert desk.get(reverse("home")).status_code == 200

    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")

    for client in (desk, laptop):
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=cast.worker).exists()
    event = AuditEvent.objects.get(action="accounts.user.deactivated", target_id=str(cast.worker.public_id))
    assert event.changes == {"sessions_ended": 2}


def test_a_session_kept_through_a_password_change_is_still_ended_by_deactivation(cast):
    client = Client()
    sign_in(client, cast.worker.username, PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    key = client.session.session_key
    assert client.get(reverse("home")).status_code == 200

    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302


def test_sign_in_does_not_keep_the_session_key_from_before(cast):
    client = Client()
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    sign_in(client, cast.worker.username, PASSWORD)
    assert client.session.session_key != before


# Passwords


@pytest.fixture
def newcomer(cast) -> tuple[User, str]:
    """A new account holding the generated password it must change at first sign-in (it has no role yet)."""
    user, generated = services.user_create(
        actor=cast.administrator,
        username="newcomer",
        first_name="Rowan",
        last_name="Ashby",
        roles=[],
        unit=cast.unit,
    )
    return user, generated


def test_a_user_who_must_change_their_password_is_sent_to_change_it_first(newcomer):
    user, generated = newcomer
    client = Client()
    response = sign_in(client, user.username, generated)
    assert response.status_code == 302
    for path in [reverse("home"), reverse("staff_list"), reverse("audit_list"), "/anything/else/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("password_change"), path
    assert client.get(reverse("password_change")).status_code == 200


def test_a_user_who_must_change_their_password_gets_403_json_from_the_api(newcomer):
    user, generated = newcomer
    api = APIClient()
    sign_in(api, user.username, generated)
    for path in [reverse("api_me"), reverse("api_staff_list"), reverse("api_schema")]:
        response = api.get(path)
        assert response.status_code == 403, path
        assert response["Content-Type"] == "application/json"
        assert "change your password" in response.json()["detail"]


def test_a_user_who_must_change_their_password_may_still_sign_out(newcomer):
    user, generated = newcomer
    client = Client()
    sign_in(client, user.username, generated)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not signed_in(client)


def test_changing_the_password_clears_the_flag_and_is_audited(newcomer):
    user, generated = newcomer
    client = Client()
    sign_in(client, user.username, generated)
    response = client.post(
        reverse("password_change"),
        {"old_password": generated, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    # The user stays signed in on the new password and may now use the application.
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action="accounts.user.password_changed", target_id=str(user.public_id))
    assert event.actor == user


def test_a_password_shorter_than_twelve_characters_is_refused(newcomer):
    user, generated = newcomer
    client = Client()
    sign_in(client, user.username, generated)
    response = client.post(
        reverse("password_change"),
        {"old_password": generated, "new_password1": "Tw3lve-chr!", "new_password2": "Tw3lve-chr!"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert "at least 12 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password
    assert user.check_password(generated)
    assert not AuditEvent.objects.filter(action="accounts.user.password_changed").exists()


def test_the_old_password_is_needed_to_change_it(cast):
    client = Client()
    sign_in(client, cast.worker.username, PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": "not-the-password-at-all", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    cast.worker.refresh_from_db()
    assert cast.worker.check_password(PASSWORD)


def test_passwords_are_hashed_with_argon2(cast, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    user, _ = services.user_create(
        actor=cast.administrator,
        username="hashed",
        first_name="Hollis",
        last_name="Vance",
        roles=[],
        password=NEW_PASSWORD,
    )
    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("argon2")
    assert NEW_PASSWORD not in stored
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


# Response headers and request checks


def test_pages_carry_a_content_security_policy_without_inline_scripts(cast, client_for):
    for response in [Client().get(reverse("login")), client_for(cast.worker).get(reverse("home"))]:
        policy = response["Content-Security-Policy"]
        directives = {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}
        assert directives["script-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy
        assert "'unsafe-eval'" not in policy
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]


def test_signed_in_pages_are_not_cached(cast, client_for):
    client = client_for(cast.administrator)
    for path in [reverse("home"), reverse("staff_list"), reverse("api_me")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


def test_pages_may_not_be_framed_or_sniffed(cast, client_for):
    response = client_for(cast.worker).get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_post_without_a_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": cast.worker.username, "password": PASSWORD})
    assert response.status_code == 403
    assert not signed_in(client)


def test_a_signed_in_post_without_a_csrf_token_changes_nothing(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.administrator)
    response = client.post(reverse("staff_deactivate", args=[cast.worker.public_id]), {"reason": "Forged"})
    assert response.status_code == 403
    cast.worker.refresh_from_db()
    assert cast.worker.is_active


def test_an_api_write_without_a_csrf_token_is_refused(cast):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(cast.administrator)
    response = api.post(
        reverse("api_staff_deactivate", args=[cast.worker.public_id]), {"reason": "Forged"}, format="json"
    )
    assert response.status_code == 403
    cast.worker.refresh_from_db()
    assert cast.worker.is_active


def test_an_anonymous_visitor_is_sent_to_sign_in(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"
    assert Client().get(reverse("login")).status_code == 200


def test_an_anonymous_visitor_gets_403_json_from_the_api(cast):
    for path in [reverse("api_me"), reverse("api_staff_list"), reverse("api_audit_events")]:
        response = APIClient().get(path)
        assert response.status_code == 403, path
        assert response["Content-Type"] == "application/json"
        assert cast.worker.username not in response.content.decode()


def test_an_anonymous_visitor_cannot_read_the_api_schema(db):
    assert APIClient().get(reverse("api_schema")).status_code == 403


def test_the_session_clean_up_removes_expired_sessions_and_their_tracking_rows(cast, client):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts import services
    from accounts.models import UserSession

    client.force_login(cast.worker)
    services.track_session(user=cast.worker, session_key=client.session.session_key)
    assert UserSession.objects.filter(user=cast.worker).exists()
    assert services.sessions_clear_expired(now=timezone.now()) == 0
    assert services.sessions_clear_expired(now=timezone.now() + timedelta(hours=1)) >= 1
    assert not Session.objects.exists()
    assert not UserSession.objects.filter(user=cast.worker).exists()

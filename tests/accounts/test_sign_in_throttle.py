"""Sign-in throttling: a username and address pair, a username from any address, an address over any username.

Also: whose address that is (X-Forwarded-For is believed only from a trusted proxy), and every failed
sign-in in the audit log.
"""

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.audit import describe
from accounts.middleware import client_ip
from accounts.models import AuditEvent
from config.settings import env_networks
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-guess"


def sign_in(client: Client, username: str, password: str, ip: str = "127.0.0.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# Limits


def test_the_limits_are_settings_with_the_pair_the_tightest():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.KINDRED_LOGIN_FAILURE_LIMIT_PER_USERNAME == 20
    assert django_settings.KINDRED_LOGIN_FAILURE_LIMIT_PER_ADDRESS == 50
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "username", "ip_address"]


def test_a_username_guessed_from_many_addresses_is_locked_everywhere(cast):
    limit = django_settings.KINDRED_LOGIN_FAILURE_LIMIT_PER_USERNAME
    # Two guesses from each address: never the pair's limit, in the end the username's.
    for attempt in range(limit - 1):
        assert sign_in(Client(), cast.worker.username, WRONG, ip=f"203.0.113.{attempt // 2 + 1}").status_code == 200
    assert sign_in(Client(), cast.worker.username, WRONG, ip="203.0.113.99").status_code == 429

    elsewhere = Client()
    response = sign_in(elsewhere, cast.worker.username, PASSWORD, ip="198.51.100.77")
    assert response.status_code == 429
    assert not signed_in(elsewhere)
    assert AuditEvent.objects.filter(action="accounts.user.locked_out", target_id=str(cast.worker.public_id)).exists()
    # Other people are not locked out by it, even from the addresses used.
    assert sign_in(Client(), cast.supervisor.username, PASSWORD, ip="203.0.113.1").status_code == 302


def test_an_address_trying_many_usernames_is_locked_for_everyone(cast):
    limit = django_settings.KINDRED_LOGIN_FAILURE_LIMIT_PER_ADDRESS
    for attempt in range(limit - 1):
        assert sign_in(Client(), f"guessed-name-{attempt}", "Winter2025!", ip="203.0.113.50").status_code == 200
    assert sign_in(Client(), "guessed-name-last", "Winter2025!", ip="203.0.113.50").status_code == 429

    sprayed = Client()
    assert sign_in(sprayed, cast.worker.username, PASSWORD, ip="203.0.113.50").status_code == 429
    assert not signed_in(sprayed)
    assert sign_in(Client(), cast.worker.username, PASSWORD, ip="198.51.100.8").status_code == 302


def test_one_good_account_does_not_wipe_out_an_address_count(cast):
    limit = django_settings.KINDRED_LOGIN_FAILURE_LIMIT_PER_ADDRESS
    for attempt in range(limit - 1):
        sign_in(Client(), f"guessed-name-{attempt}", "Winter2025!", ip="203.0.113.60")
    # The attacker's own account (or a colleague at the same address) signs in...
    assert sign_in(Client(), cast.supervisor.username, PASSWORD, ip="203.0.113.60").status_code == 302
    # ... and the spraying count still stands: one more failure reaches the limit.
    sign_in(Client(), "guessed-name-last", "Winter2025!", ip="203.0.113.60")
    assert sign_in(Client(), cast.worker.username, PASSWORD, ip="203.0.113.60").status_code == 429


# Whose address: X-Forwarded-For only from a trusted proxy


def address_of(remote_addr: str, forwarded_for: str | None = None) -> str | None:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    assert django_settings.TRUSTED_PROXIES == []
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert address_of("203.0.113.7", "192.0.2.66") == "203.0.113.7"


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address_of("203.0.113.7", "192.0.2.66") == "203.0.113.7"


def test_it_takes_the_right_most_address_no_trusted_proxy_added(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    # The client forged the first entry; the outer proxy 192.0.2.10 saw 198.51.100.4, the inner one 192.0.2.10.
    assert address_of("10.0.0.2", "1.2.3.4, 198.51.100.4, 192.0.2.10") == "198.51.100.4"
    assert address_of("10.0.0.2", "198.51.100.4") == "198.51.100.4"
    # A request that only ever crossed trusted addresses is from the left-most of them.
    assert address_of("10.0.0.2", "10.1.2.3") == "10.1.2.3"
    assert address_of("10.0.0.2") == "10.0.0.2"


def test_a_malformed_entry_ends_the_chain_at_the_nearest_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address_of("10.0.0.2", "198.51.100.4, unknown") == "10.0.0.2"
    assert address_of("10.0.0.2", "unknown, 10.0.0.9") == "10.0.0.9"


def test_ipv6_proxies_and_clients(settings):
    settings.TRUSTED_PROXIES = ["2001:db8:1::/48"]
    assert address_of("2001:db8:1::2", "2001:db8:99::5") == "2001:db8:99::5"
    assert address_of("2001:db8:2::2", "2001:db8:99::5") == "2001:db8:2::2"


def test_two_people_behind_the_same_proxy_are_locked_out_separately(cast, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), cast.worker.username, WRONG, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert (
        sign_in(
            Client(), cast.worker.username, PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4"
        ).status_code
        == 429
    )
    desk = Client()
    response = sign_in(desk, cast.worker.username, PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert response.status_code == 302
    assert signed_in(desk)


@pytest.mark.parametrize("value", ["10.0.0.0/33", "proxy.internal", "10.0.0.1, 300.1.1.1"])
def test_a_malformed_trusted_proxy_list_stops_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        env_networks("TRUSTED_PROXIES", [])


def test_a_trusted_proxy_list_takes_addresses_and_ranges(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", " 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32")
    assert env_networks("TRUSTED_PROXIES", []) == ["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"]


# Failed sign-ins in the audit log


def test_a_failed_sign_in_is_audited_with_the_username_tried_never_the_password(cast):
    sign_in(Client(), cast.worker.username, "my-secret-guess-123", ip="198.51.100.20")
    event = AuditEvent.objects.get(action="accounts.user.sign_in_failed")
    assert event.actor is None
    assert event.target_type == "accounts.user"
    assert event.target_id == str(cast.worker.public_id)
    assert event.target_label == cast.worker.username
    assert event.ip_address == "198.51.100.20"
    stored = f"{event.target_label} {event.changes} {event.reason}"
    assert "my-secret-guess-123" not in stored
    assert describe(event) == f"A sign-in as {cast.worker.username} failed."


def test_a_failed_sign_in_as_an_unknown_username_is_audited_too(db):
    sign_in(Client(), "no-such-person", "my-secret-guess-123")
    event = AuditEvent.objects.get(action="accounts.user.sign_in_failed")
    assert event.target_id == ""
    assert event.target_label == "no-such-person"
    assert "my-secret-guess-123" not in f"{event.changes} {event.reason}"


def test_a_failed_sign_in_shows_in_the_accounts_history(cast, client_for):
    sign_in(Client(), cast.worker.username, WRONG)
    response = client_for(cast.administrator).get(reverse("staff_detail", args=[cast.worker.public_id]))
    assert f"A sign-in as {cast.worker.username} failed" in response.content.decode()


def test_a_successful_sign_in_is_not_a_failure(cast):
    sign_in(Client(), cast.worker.username, PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.user.sign_in_failed").exists()

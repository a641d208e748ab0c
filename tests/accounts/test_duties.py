"""Separation of duties: no administrator reaches case content alone.

An administrator cannot change their own roles or unit. Giving a role or a clearance, naming a unit's
supervisor, changing the e-mail of an account that holds access and resetting its password wait for a
second administrator, who is neither the one who asked nor the account's owner. An account that holds a
role gets its password from its owner alone, through a one-time link.
"""

from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import duties, services
from accounts.choices import ChangeKind, ChangeStatus
from accounts.models import AuditEvent, Notification, StaffChangeRequest, Unit, User
from accounts.roles import Role
from tests.api_helpers import NEW_PASSWORD, staff_url
from tests.factories import PASSWORD, approving_administrator, make_staff

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The account as stored now, its roles read again."""
    return User.objects.get(pk=user.pk)


def link_in(mail) -> str:
    """The path of the one-time link in an e-mail."""
    line = next(line for line in mail.body.splitlines() if "/account/set-password/" in line)
    return urlsplit(line.strip()).path


def signs_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.fixture
def approver(cast) -> User:
    return approving_administrator()


def approve(api_for, approver: User, change_id: str):
    return api_for(approver).post(reverse("api_change_request_approve", args=[change_id]))


# Nobody changes their own access


@pytest.mark.parametrize("field", ["roles", "unit"])
def test_an_administrator_cannot_change_their_own_roles_or_unit_through_the_api(cast, api_for, field):
    change = (
        {"roles": [Role.ADMINISTRATOR.value, Role.PROGRAM_MANAGER.value]}
        if field == "roles"
        else {"unit": str(cast.unit.public_id)}
    )
    api = api_for(cast.administrator)
    events = AuditEvent.objects.count()
    response = api.patch(staff_url(cast.administrator), {**change, "reason": "Curious"}, format="json")
    assert response.status_code == 400
    assert "cannot change your own roles or unit" in str(response.json())
    administrator = fresh(cast.administrator)
    assert administrator.roles == {Role.ADMINISTRATOR}
    assert administrator.unit is None
    assert not StaffChangeRequest.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_administrator_cannot_change_their_own_roles_on_the_page(cast, client_for):
    response = client_for(cast.administrator).post(
        reverse("staff_edit", args=[cast.administrator.public_id]),
        {
            "first_name": "Root",
            "last_name": "Admin",
            "email": "",
            "roles": [Role.ADMINISTRATOR.value, Role.SUPERVISOR.value],
            "reason": "Curious",
        },
    )
    assert response.status_code == 200
    assert "cannot change your own roles or unit" in response.content.decode()
    assert not fresh(cast.administrator).has_role(Role.SUPERVISOR)
    assert not StaffChangeRequest.objects.exists()


def test_the_services_refuse_a_widening_change_without_a_second_administrator(cast, approver):
    change = {
        "first_name": cast.worker.first_name,
        "last_name": cast.worker.last_name,
        "email": cast.worker.email,
        "roles": [Role.CASEWORKER, Role.PROGRAM_MANAGER],
        "unit": cast.unit,
        "clearance_sensitive": False,
        "clearance_sealed": False,
    }
    for approved_by in (None, cast.administrator, cast.program_manager):
        with pytest.raises(ValidationError):
            services.user_update(actor=cast.administrator, user=cast.worker, approved_by=approved_by, **change)
    with pytest.raises(ValidationError):
        services.user_update(actor=approver, user=approver, approved_by=cast.administrator, **change)
    with pytest.raises(ValidationError):
        services.unit_update(
            actor=cast.administrator, unit=cast.unit, name="North Unit", supervisor=cast.other_supervisor
        )
    with pytest.raises(ValidationError):
        services.user_reset_password(actor=cast.administrator, user=cast.worker)
    assert not fresh(cast.worker).has_role(Role.PROGRAM_MANAGER)
    assert Unit.objects.get(pk=cast.unit.pk).supervisor == cast.supervisor


# Giving a role or a clearance waits for a second administrator


def test_a_role_waits_for_a_second_administrator_who_applies_it(cast, api_for, approver):
    response = api_for(cast.administrator).patch(
        staff_url(cast.worker),
        {"roles": [Role.CASEWORKER.value, Role.PROGRAM_MANAGER.value], "reason": "Acting manager in June"},
        format="json",
    )
    assert response.status_code == 202
    pending = response.json()["pending_request"]
    assert pending["status"] == "pending"
    assert pending["summary"] == "Program manager role"
    assert response.json()["roles"] == [Role.CASEWORKER.value]
    assert not fresh(cast.worker).has_role(Role.PROGRAM_MANAGER)

    response = approve(api_for, approver, pending["id"])
    assert response.status_code == 200
    assert response.json()["decided_by"] == str(approver.public_id)
    assert fresh(cast.worker).roles == {Role.CASEWORKER, Role.PROGRAM_MANAGER}
    # A worker who had a role keeps their password.
    assert fresh(cast.worker).check_password(PASSWORD)
    actions = list(
        AuditEvent.objects.filter(target_id=str(cast.worker.public_id))
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert actions[-3:] == [
        ("accounts.user.change_requested", cast.administrator.username),
        ("accounts.user.updated", cast.administrator.username),
        ("accounts.user.change_approved", approver.username),
    ]
    note = Notification.objects.get(recipient=cast.worker)
    assert note.message == "Your account was changed: Program manager role."


def test_the_one_who_asked_and_the_accounts_owner_cannot_approve(cast, api_for, client_for, approver):
    asked = duties.staff_update(
        actor=cast.administrator,
        user=approver,
        first_name=approver.first_name,
        last_name=approver.last_name,
        email=approver.email,
        roles=[Role.ADMINISTRATOR, Role.AUDITOR],
        unit=None,
        clearance_sensitive=False,
        clearance_sealed=False,
        reason="Audits this year",
    )
    for decider in (cast.administrator, approver):
        response = approve(api_for, decider, str(asked.public_id))
        assert response.status_code == 400, decider
        response = api_for(decider).post(
            reverse("api_change_request_refuse", args=[asked.public_id]), {"reason": "No"}, format="json"
        )
        assert response.status_code == 400, decider
        page = client_for(decider).get(reverse("staff_approval", args=[asked.public_id])).content.decode()
        assert 'value="approve"' not in page
        assert "Another administrator decides this change" in page
    assert StaffChangeRequest.objects.get(pk=asked.pk).status == ChangeStatus.PENDING
    assert not fresh(approver).has_role(Role.AUDITOR)

    third = make_staff("third-admin", Role.ADMINISTRATOR)
    assert approve(api_for, third, str(asked.public_id)).status_code == 200
    assert fresh(approver).has_role(Role.AUDITOR)


def test_a_second_administrator_refuses_with_a_reason_and_nothing_changes(cast, api_for, approver):
    response = api_for(cast.administrator).patch(
        staff_url(cast.worker), {"clearance_sealed": True, "reason": "Works the sealed adoption"}, format="json"
    )
    change_id = response.json()["pending_request"]["id"]
    refuse = reverse("api_change_request_refuse", args=[change_id])
    assert api_for(approver).post(refuse, {"reason": " "}, format="json").status_code == 400
    response = api_for(approver).post(refuse, {"reason": "Not on that case"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "refused"
    assert response.json()["decision_reason"] == "Not on that case"
    assert not fresh(cast.worker).clearance_sealed
    event = AuditEvent.objects.get(action="accounts.user.change_refused")
    assert event.actor == approver and event.reason == "Not on that case"
    assert Notification.objects.filter(recipient=cast.administrator, message__contains="refused").exists()
    # Decided once: approving it afterwards changes nothing.
    assert approve(api_for, approver, change_id).status_code == 400
    assert not fresh(cast.worker).clearance_sealed


def test_a_widening_change_needs_a_reason(cast, api_for):
    response = api_for(cast.administrator).patch(staff_url(cast.worker), {"clearance_sensitive": True}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not StaffChangeRequest.objects.exists()
    assert not fresh(cast.worker).clearance_sensitive


def test_taking_access_away_applies_at_once(cast, api_for):
    response = api_for(cast.administrator).patch(
        staff_url(cast.supervisor), {"roles": [Role.SUPERVISOR.value], "clearance_sensitive": False}, format="json"
    )
    assert response.status_code == 200
    assert "pending_request" not in response.json()
    assert not fresh(cast.supervisor).clearance_sensitive
    response = api_for(cast.administrator).patch(
        reverse("api_unit_detail", args=[cast.unit.public_id]), {"supervisor": None}, format="json"
    )
    assert response.status_code == 200
    assert Unit.objects.get(pk=cast.unit.pk).supervisor is None
    assert not StaffChangeRequest.objects.exists()


def test_a_new_e_mail_address_of_an_account_with_a_role_waits(cast, api_for, approver):
    """Its one-time links go there: one administrator must not redirect them to themselves."""
    response = api_for(cast.administrator).patch(
        staff_url(cast.worker), {"email": "mallory@example.net", "reason": "New address"}, format="json"
    )
    assert response.status_code == 202
    assert fresh(cast.worker).email == cast.worker.email
    approve(api_for, approver, response.json()["pending_request"]["id"])
    assert fresh(cast.worker).email == "mallory@example.net"


def test_naming_a_units_supervisor_waits_for_a_second_administrator(cast, api_for, approver):
    new_supervisor = make_staff("new-supervisor", Role.SUPERVISOR, unit=cast.unit)
    response = api_for(cast.administrator).patch(
        reverse("api_unit_detail", args=[cast.unit.public_id]),
        {"supervisor": str(new_supervisor.public_id), "reason": "Takes over North Unit"},
        format="json",
    )
    assert response.status_code == 202
    assert response.json()["supervisor"] == str(cast.supervisor.public_id)
    assert response.json()["pending_request"]["kind"] == ChangeKind.UNIT_SUPERVISOR
    approve(api_for, approver, response.json()["pending_request"]["id"])
    assert Unit.objects.get(pk=cast.unit.pk).supervisor == new_supervisor
    assert AuditEvent.objects.filter(action="accounts.unit.change_approved", actor=approver).exists()
    assert Notification.objects.get(recipient=new_supervisor).message == "You now supervise North Unit."


def test_one_request_of_a_kind_waits_at_a_time(cast, api_for):
    api = api_for(cast.administrator)
    first = api.patch(staff_url(cast.worker), {"clearance_sensitive": True, "reason": "A"}, format="json")
    assert first.status_code == 202
    second = api.patch(staff_url(cast.worker), {"clearance_sealed": True, "reason": "B"}, format="json")
    assert second.status_code == 400
    assert "already waiting" in str(second.json())
    assert StaffChangeRequest.objects.count() == 1


def test_an_administrator_cannot_make_a_second_administrator_alone(cast, api_for):
    """Else one administrator would create an administrator, sign in as it and approve their own requests."""
    response = api_for(cast.administrator).post(
        reverse("api_staff_list"),
        {
            "username": "sockpuppet",
            "first_name": "Sock",
            "last_name": "Puppet",
            "email": "sock@example.org",
            "roles": [Role.ADMINISTRATOR.value],
            "reason": "Help with staff",
        },
        format="json",
    )
    assert response.status_code == 201
    assert "temporary_password" not in response.json()
    sockpuppet = User.objects.get(username="sockpuppet")
    assert not sockpuppet.has_role(Role.ADMINISTRATOR)
    assert not sockpuppet.has_usable_password()


# Passwords: set by their owner alone


def test_a_created_case_reader_cannot_sign_in_until_its_owner_follows_the_link(
    cast, api_for, approver, mailoutbox, django_capture_on_commit_callbacks
):
    response = api_for(cast.administrator).post(
        reverse("api_staff_list"),
        {
            "username": "sealed-reader",
            "first_name": "Sam",
            "last_name": "Reed",
            "email": "sam@example.org",
            "roles": [Role.CASEWORKER.value],
            "clearance_sealed": True,
            "password": NEW_PASSWORD,
            "reason": "Adoption unit",
        },
        format="json",
    )
    assert response.status_code == 400, "an administrator never chooses the password of an account with a role"
    assert "password" in response.json()
    assert not User.objects.filter(username="sealed-reader").exists()

    response = api_for(cast.administrator).post(
        reverse("api_staff_list"),
        {
            "username": "sealed-reader",
            "first_name": "Sam",
            "last_name": "Reed",
            "email": "sam@example.org",
            "roles": [Role.CASEWORKER.value],
            "clearance_sealed": True,
            "reason": "Adoption unit",
        },
        format="json",
    )
    assert "temporary_password" not in response.json()
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        approve(api_for, approver, response.json()["pending_request"]["id"])
    reader = User.objects.get(username="sealed-reader")
    assert reader.has_role(Role.CASEWORKER) and reader.clearance_sealed
    assert not reader.has_usable_password()
    assert [mail.to for mail in mailoutbox] == [["sam@example.org"]]

    link = link_in(mailoutbox[0])
    client = Client()
    page = client.get(link).content.decode()
    assert "sealed-reader" in page
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    reader = fresh(reader)
    assert reader.check_password(NEW_PASSWORD)
    assert not reader.must_change_password
    assert signs_in("sealed-reader", NEW_PASSWORD)
    assert AuditEvent.objects.get(action="accounts.user.password_set").actor == reader
    # The link works once.
    assert "no longer works" in Client().get(link).content.decode()
    response = Client().post(link, {"new_password1": "another-long-password", "new_password2": "another-long-password"})
    assert response.status_code == 200
    assert fresh(reader).check_password(NEW_PASSWORD)


def test_a_reset_of_a_case_readers_password_is_approved_then_sent_to_its_owner(
    cast, api_for, client_for, approver, mailoutbox, django_capture_on_commit_callbacks
):
    owner = Client()
    owner.force_login(cast.worker)
    response = api_for(cast.administrator).post(staff_url(cast.worker, "reset_password"), {"reason": "Forgot it"})
    assert response.status_code == 202
    assert "temporary_password" not in response.json()
    assert fresh(cast.worker).check_password(PASSWORD), "nothing changes before the approval"

    change = StaffChangeRequest.objects.get(kind=ChangeKind.PASSWORD_RESET)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(approver).post(
            reverse("staff_approval", args=[change.public_id]), {"decision": "approve"}
        )
    assert response.status_code == 302
    worker = fresh(cast.worker)
    assert not worker.has_usable_password()
    assert not signs_in(worker.username, PASSWORD)
    assert owner.get(reverse("home")).status_code == 302, "the owner's sessions ended"
    assert [mail.to for mail in mailoutbox] == [[worker.email]]
    response = Client().post(link_in(mailoutbox[0]), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert signs_in(worker.username, NEW_PASSWORD)


def test_an_account_without_a_role_keeps_its_temporary_password_until_it_gets_one(
    cast, api_for, approver, mailoutbox, django_capture_on_commit_callbacks
):
    """The administrator who saw its temporary password must not hold the password of a case reader."""
    user, generated, change = duties.staff_create(
        actor=cast.administrator,
        username="later-worker",
        first_name="Lee",
        last_name="Later",
        email="lee@example.org",
        roles=[],
        unit=cast.unit,
    )
    assert generated and change is None and signs_in("later-worker", generated)
    change = duties.staff_update(
        actor=cast.administrator,
        user=user,
        first_name="Lee",
        last_name="Later",
        email="lee@example.org",
        roles=[Role.CASEWORKER],
        unit=cast.unit,
        clearance_sensitive=False,
        clearance_sealed=False,
        reason="Starts Monday",
    )
    with django_capture_on_commit_callbacks(execute=True):
        approve(api_for, approver, str(change.public_id))
    assert not signs_in("later-worker", generated)
    assert [mail.to for mail in mailoutbox] == [["lee@example.org"]]


def test_an_approval_is_refused_when_the_address_changed_since_the_request(cast, api_for, approver):
    user, _, change = duties.staff_create(
        actor=cast.administrator,
        username="new-hire",
        first_name="Nia",
        last_name="Hire",
        email="nia@example.org",
        roles=[Role.CASEWORKER],
        unit=cast.unit,
        reason="New hire",
    )
    # An account without a role yet: its address changes at once, but its request was for the old one.
    duties.staff_update(
        actor=cast.administrator,
        user=user,
        first_name="Nia",
        last_name="Hire",
        email="mallory@example.net",
        roles=[],
        unit=cast.unit,
        clearance_sensitive=False,
        clearance_sealed=False,
    )
    response = approve(api_for, approver, str(change.public_id))
    assert response.status_code == 400
    assert "e-mail address changed" in str(response.json())
    assert not fresh(user).has_role(Role.CASEWORKER)


def test_a_forged_or_unknown_link_sets_nothing(cast):
    for path in (
        reverse("password_set", args=[cast.worker.public_id, "abc-0123456789abcdef"]),
        reverse("password_set", args=["00000000-0000-0000-0000-000000000000", "abc-0123456789abcdef"]),
    ):
        response = Client().post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert response.status_code == 200
        assert "no longer works" in response.content.decode()
    assert fresh(cast.worker).check_password(PASSWORD)


# Pages


def test_the_staff_list_links_to_the_pending_approvals(cast, client_for):
    duties.staff_password_reset(actor=cast.administrator, user=cast.worker, reason="Locked out")
    page = client_for(cast.administrator).get(reverse("staff_list")).content.decode()
    assert reverse("staff_approvals") in page
    assert "Pending approvals (1)" in page


def test_the_approvals_page_reads_a_fixed_number_of_queries(cast, client_for, approver, django_assert_max_num_queries):
    client = client_for(approver)
    client.get(reverse("staff_approvals"))
    for member in (cast.worker, cast.other_worker, cast.screener, cast.auditor):
        duties.staff_password_reset(actor=cast.administrator, user=member, reason="Locked out")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("staff_approvals")).content.decode()
    assert page.count("Password reset: a one-time link") == 4


# Who may use the approvals


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "auditor", "program_manager", "intake_screener"])
def test_other_roles_can_neither_read_nor_decide_requests(cast, client_for, api_for, role):
    change = duties.staff_password_reset(actor=cast.administrator, user=cast.other_worker, reason="Locked out")[1]
    user = cast.by_role()[role]
    client = client_for(user)
    assert client.get(reverse("staff_approvals")).status_code == 403
    assert client.get(reverse("staff_approval", args=[change.public_id])).status_code == 404
    assert client.post(reverse("staff_approval", args=[change.public_id]), {"decision": "approve"}).status_code == 404
    api = api_for(user)
    assert api.get(reverse("api_change_request_list")).status_code == 403
    assert api.get(reverse("api_change_request_detail", args=[change.public_id])).status_code == 403
    assert api.post(reverse("api_change_request_approve", args=[change.public_id])).status_code == 403
    refused = api.post(reverse("api_change_request_refuse", args=[change.public_id]), {"reason": "x"}, format="json")
    assert refused.status_code == 403
    assert StaffChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.PENDING
    assert fresh(cast.other_worker).check_password(PASSWORD)


def test_the_api_lists_requests_by_status(cast, api_for, approver):
    duties.staff_password_reset(actor=cast.administrator, user=cast.worker, reason="Locked out")
    api = api_for(approver)
    assert api.get(reverse("api_change_request_list"), {"status": "pending"}).json()["count"] == 1
    assert api.get(reverse("api_change_request_list"), {"status": "approved"}).json()["count"] == 0
    assert api.get(reverse("api_change_request_list"), {"status": "maybe"}).status_code == 400

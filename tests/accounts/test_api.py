"""The JSON API for staff, units and the audit log follows the same rules as the pages."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AuditEvent, Unit, User
from accounts.roles import Role
from tests.api_helpers import NEW_PASSWORD, staff_url
from tests.factories import approving_administrator, make_staff

pytestmark = pytest.mark.django_db


def new_staff(**fields) -> dict:
    return {
        "username": "new-worker",
        "first_name": "Avery",
        "last_name": "Quinlan",
        "email": "avery@example.org",
        "roles": [Role.CASEWORKER.value],
        **fields,
    }


# Staff


def test_it_lists_staff(cast, api_for):
    response = api_for(cast.administrator).get(reverse("api_staff_list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == User.objects.count()
    worker = next(row for row in body["results"] if row["username"] == cast.worker.username)
    assert worker["id"] == str(cast.worker.public_id)
    assert worker["roles"] == [Role.CASEWORKER.value]
    assert worker["unit"] == str(cast.unit.public_id)
    assert "password" not in worker


def test_it_searches_staff(cast, api_for):
    response = api_for(cast.administrator).get(reverse("api_staff_list"), {"q": cast.worker.last_name})
    usernames = [row["username"] for row in response.json()["results"]]
    assert cast.worker.username in usernames
    assert cast.other_worker.username not in usernames or cast.other_worker.last_name == cast.worker.last_name


def test_it_creates_staff_without_a_role_with_a_temporary_password(cast, api_for):
    response = api_for(cast.administrator).post(
        reverse("api_staff_list"), new_staff(unit=str(cast.unit.public_id), roles=[]), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    created = User.objects.get(username="new-worker")
    assert body["id"] == str(created.public_id)
    assert body["roles"] == []
    assert body["unit"] == str(cast.unit.public_id)
    assert body["must_change_password"] is True
    assert created.check_password(body["temporary_password"])
    assert created.unit == cast.unit
    event = AuditEvent.objects.get(action="accounts.user.created", target_id=str(created.public_id))
    assert event.actor == cast.administrator
    assert body["temporary_password"] not in str(event.changes)


def test_it_creates_a_caseworker_once_a_second_administrator_approves(
    cast, api_for, mailoutbox, django_capture_on_commit_callbacks
):
    response = api_for(cast.administrator).post(
        reverse("api_staff_list"), new_staff(unit=str(cast.unit.public_id), reason="New hire"), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    created = User.objects.get(username="new-worker")
    assert body["id"] == str(created.public_id)
    assert body["unit"] == str(cast.unit.public_id)
    assert body["must_change_password"] is True
    assert "temporary_password" not in body
    assert body["pending_request"]["roles"] == [Role.CASEWORKER.value]
    assert not created.has_usable_password()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(approving_administrator()).post(
            reverse("api_change_request_approve", args=[body["pending_request"]["id"]])
        )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    body = api_for(cast.administrator).get(staff_url(created)).json()
    assert body["roles"] == [Role.CASEWORKER.value]
    created = User.objects.get(pk=created.pk)
    assert created.unit == cast.unit
    event = AuditEvent.objects.get(action="accounts.user.created", target_id=str(created.public_id))
    assert event.actor == cast.administrator
    requested = AuditEvent.objects.get(action="accounts.user.change_requested", target_id=str(created.public_id))
    assert requested.changes["change"] == "Caseworker role"
    link = next(line for line in mailoutbox[0].body.splitlines() if "/set-password/" in line)
    assert not any(link in str(event.changes) for event in AuditEvent.objects.all())


def test_it_creates_staff_with_a_chosen_password_and_returns_none(cast, api_for):
    """Only an account without a role takes a password its administrator chose."""
    response = api_for(cast.administrator).post(
        reverse("api_staff_list"), new_staff(password=NEW_PASSWORD, roles=[]), format="json"
    )
    assert response.status_code == 201
    assert "temporary_password" not in response.json()
    assert "password" not in response.json()
    assert User.objects.get(username="new-worker").check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"username": "WORKER"}, "username"),
        ({"password": "short"}, "password"),
        ({"roles": ["wizard"]}, "roles"),
        ({"username": "has spaces!"}, "username"),
        ({"unit": "00000000-0000-0000-0000-000000000000"}, "unit"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_it_refuses_bad_staff_input_and_saves_nothing(cast, api_for, fields, error_field):
    api = api_for(cast.administrator)
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = api.post(reverse("api_staff_list"), new_staff(**fields), format="json")
    assert response.status_code == 400
    assert error_field in response.json()
    assert User.objects.count() == users
    assert AuditEvent.objects.count() == events


def test_a_too_short_password_is_explained(cast, api_for):
    response = api_for(cast.administrator).post(
        reverse("api_staff_list"), new_staff(password="short", roles=[]), format="json"
    )
    assert any("too short" in message for message in response.json()["password"])


def test_it_reads_one_staff_member(cast, api_for):
    response = api_for(cast.administrator).get(staff_url(cast.worker))
    assert response.status_code == 200
    assert response.json()["username"] == cast.worker.username


def test_it_changes_roles_unit_and_clearances(cast, api_for):
    response = api_for(cast.administrator).patch(
        staff_url(cast.worker),
        {
            "roles": [Role.CASEWORKER.value, Role.INTAKE_SCREENER.value],
            "unit": str(cast.other_unit.public_id),
            "clearance_sensitive": True,
            "reason": "Moves to South Unit's intake desk",
        },
        format="json",
    )
    # The unit changes at once; the new role and the clearance wait for a second administrator.
    assert response.status_code == 202
    assert response.json()["unit"] == str(cast.other_unit.public_id)
    request_id = response.json()["pending_request"]["id"]
    response = api_for(approving_administrator()).post(reverse("api_change_request_approve", args=[request_id]))
    assert response.status_code == 200
    response = api_for(cast.administrator).get(staff_url(cast.worker))
    body = response.json()
    assert body["roles"] == [Role.CASEWORKER.value, Role.INTAKE_SCREENER.value]
    assert body["unit"] == str(cast.other_unit.public_id)
    assert body["clearance_sensitive"] is True
    worker = User.objects.get(pk=cast.worker.pk)
    assert worker.unit == cast.other_unit
    assert worker.has_role(Role.INTAKE_SCREENER)
    # The unit's group follows the unit, so grants to the unit reach its members.
    assert worker.groups.filter(pk=cast.other_unit.group_id).exists()
    assert not worker.groups.filter(pk=cast.unit.group_id).exists()
    changes = {}
    for event in AuditEvent.objects.filter(action="accounts.user.updated", target_id=str(worker.public_id)):
        changes.update(event.changes)
    assert changes["unit"] == {"old": "North Unit", "new": "South Unit"}
    assert changes["clearance_sensitive"] == {"old": False, "new": True}


def test_a_partial_update_leaves_other_fields_alone(cast, api_for):
    # Never the name Faker already gave them: that would change nothing, and log nothing.
    name = "Morgan" if cast.worker.first_name != "Morgan" else "Avery"
    response = api_for(cast.administrator).patch(staff_url(cast.worker), {"first_name": name}, format="json")
    assert response.status_code == 200
    worker = User.objects.get(pk=cast.worker.pk)
    assert worker.first_name == name
    assert worker.has_role(Role.CASEWORKER)
    assert worker.unit == cast.unit
    event = AuditEvent.objects.get(action="accounts.user.updated", target_id=str(worker.public_id))
    assert set(event.changes) == {"first_name"}


def test_read_only_fields_cannot_be_changed_through_an_update(cast, api_for):
    response = api_for(cast.administrator).patch(
        staff_url(cast.worker),
        {"username": "renamed", "is_active": False, "must_change_password": True},
        format="json",
    )
    assert response.status_code == 200
    worker = User.objects.get(pk=cast.worker.pk)
    assert worker.username == cast.worker.username
    assert worker.is_active
    assert not worker.must_change_password


def test_an_administrator_cannot_raise_their_own_clearance(cast, api_for):
    response = api_for(cast.administrator).patch(
        staff_url(cast.administrator), {"clearance_sealed": True}, format="json"
    )
    assert response.status_code == 400
    assert "cannot raise your own clearance" in str(response.json())
    assert not User.objects.get(pk=cast.administrator.pk).clearance_sealed
    assert not AuditEvent.objects.filter(action="accounts.user.updated").exists()


def test_the_last_administrator_keeps_the_role(cast, api_for):
    services.user_deactivate(actor=cast.administrator, user=approving_administrator(), reason="Retired")
    response = api_for(cast.administrator).patch(
        staff_url(cast.administrator), {"roles": [Role.AUDITOR.value]}, format="json"
    )
    assert response.status_code == 400
    assert "last active administrator" in str(response.json()["roles"])
    administrator = User.objects.get(pk=cast.administrator.pk)
    assert administrator.has_role(Role.ADMINISTRATOR)
    assert not administrator.has_role(Role.AUDITOR)


def test_it_deactivates_and_reactivates_with_a_reason(cast, api_for):
    api = api_for(cast.administrator)
    response = api.post(staff_url(cast.worker, "deactivate"), {"reason": "Left the agency"}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert response.json()["deactivated_at"]
    response = api.post(staff_url(cast.worker, "reactivate"), {"reason": "Rehired"}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is True
    reasons = dict(AuditEvent.objects.filter(target_id=str(cast.worker.public_id)).values_list("action", "reason"))
    assert reasons["accounts.user.deactivated"] == "Left the agency"
    assert reasons["accounts.user.reactivated"] == "Rehired"


def test_deactivation_needs_a_reason(cast, api_for):
    api = api_for(cast.administrator)
    for body in [{}, {"reason": ""}, {"reason": "   "}]:
        response = api.post(staff_url(cast.worker, "deactivate"), body, format="json")
        assert response.status_code == 400, body
        assert "reason" in response.json(), body
    assert User.objects.get(pk=cast.worker.pk).is_active
    assert not AuditEvent.objects.filter(action="accounts.user.deactivated").exists()


def test_reactivation_needs_a_reason(cast, api_for):
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Leave of absence")
    response = api_for(cast.administrator).post(staff_url(cast.worker, "reactivate"), {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not User.objects.get(pk=cast.worker.pk).is_active


def test_an_administrator_cannot_deactivate_themselves(cast, api_for):
    response = api_for(cast.administrator).post(
        staff_url(cast.administrator, "deactivate"), {"reason": "Testing"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert User.objects.get(pk=cast.administrator.pk).is_active


def test_reset_password_returns_a_password_that_works(cast, api_for):
    """For an account without a role or a clearance; test_duties has the one-time link of the others."""
    newcomer = make_staff("newcomer")
    response = api_for(cast.administrator).post(staff_url(newcomer, "reset_password"))
    assert response.status_code == 200
    password = response.json()["temporary_password"]
    worker = User.objects.get(pk=newcomer.pk)
    assert worker.check_password(password)
    assert worker.must_change_password
    assert AuditEvent.objects.filter(
        action="accounts.user.password_reset", target_id=str(worker.public_id), actor=cast.administrator
    ).exists()
    from django.test import Client

    client = Client()
    response = client.post(reverse("login"), {"username": worker.username, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("password_change")


def test_an_unknown_staff_id_is_404(cast, api_for):
    response = api_for(cast.administrator).get(
        reverse("api_staff_detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404


# Units


def test_it_lists_units(cast, api_for):
    response = api_for(cast.administrator).get(reverse("api_unit_list"))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert set(rows) == {"North Unit", "South Unit"}
    assert rows["North Unit"]["supervisor"] == str(cast.supervisor.public_id)
    members = {str(member.public_id) for member in User.objects.filter(unit=cast.unit)}
    assert {str(cast.supervisor.public_id), str(cast.worker.public_id)} <= members
    assert set(rows["North Unit"]["members"]) == members


def test_it_creates_a_unit(cast, api_for):
    response = api_for(cast.administrator).post(
        reverse("api_unit_list"),
        {"name": "East Unit", "supervisor": str(cast.supervisor.public_id), "reason": "A new team"},
        format="json",
    )
    assert response.status_code == 201
    request_id = response.json()["pending_request"]["id"]
    assert Unit.objects.get(name="East Unit").supervisor is None
    api_for(approving_administrator()).post(reverse("api_change_request_approve", args=[request_id]))
    unit = Unit.objects.get(name="East Unit")
    assert response.json()["id"] == str(unit.public_id)
    assert unit.supervisor == cast.supervisor
    assert unit.group.name == "Unit: East Unit"
    assert AuditEvent.objects.filter(action="accounts.unit.created", target_id=str(unit.public_id)).exists()


def test_it_refuses_a_bad_unit_and_saves_nothing(cast, api_for):
    api = api_for(cast.administrator)
    units, events = Unit.objects.count(), AuditEvent.objects.count()
    for body, error_field in [
        ({"name": "north unit"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "East Unit", "supervisor": str(cast.worker.public_id)}, "supervisor"),
    ]:
        response = api.post(reverse("api_unit_list"), body, format="json")
        assert response.status_code == 400, body
        assert error_field in response.json(), body
    assert Unit.objects.count() == units
    assert AuditEvent.objects.count() == events


def test_it_renames_a_unit_and_changes_its_supervisor(cast, api_for):
    api = api_for(cast.administrator)
    url = reverse("api_unit_detail", args=[cast.unit.public_id])
    response = api.patch(url, {"name": "North-East Unit"}, format="json")
    assert response.status_code == 200
    unit = Unit.objects.select_related("group").get(pk=cast.unit.pk)
    assert unit.name == "North-East Unit"
    assert unit.group.name == "Unit: North-East Unit"
    assert unit.supervisor == cast.supervisor
    response = api.patch(
        url, {"supervisor": str(cast.other_supervisor.public_id), "reason": "Covers North Unit"}, format="json"
    )
    assert response.status_code == 202
    request_id = response.json()["pending_request"]["id"]
    api_for(approving_administrator()).post(reverse("api_change_request_approve", args=[request_id]))
    response = api.get(url)
    assert response.json()["supervisor"] == str(cast.other_supervisor.public_id)
    changes = list(
        AuditEvent.objects.filter(action="accounts.unit.updated", target_id=str(unit.public_id))
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert changes[-2] == {"name": {"old": "North Unit", "new": "North-East Unit"}}
    assert changes[-1] == {
        "supervisor": {"old": cast.supervisor.display_name, "new": cast.other_supervisor.display_name}
    }


def test_a_unit_cannot_take_another_units_name(cast, api_for):
    response = api_for(cast.administrator).patch(
        reverse("api_unit_detail", args=[cast.unit.public_id]), {"name": "SOUTH UNIT"}, format="json"
    )
    assert response.status_code == 400
    assert Unit.objects.get(pk=cast.unit.pk).name == "North Unit"


# Audit events


def test_it_lists_audit_events_as_sentences(cast, api_for):
    api = api_for(cast.auditor)
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    response = api.get(reverse("api_audit_events"))
    assert response.status_code == 200
    body = response.json()
    # Everything before the read; the read itself is logged after the page was taken.
    assert body["count"] == AuditEvent.objects.count() - 1
    assert AuditEvent.objects.first().action == "accounts.auditevent.listed"
    latest = body["results"][0]
    assert latest["action"] == "accounts.user.deactivated"
    assert latest["actor"] == str(cast.administrator.public_id)
    assert latest["target_id"] == str(cast.worker.public_id)
    assert latest["sentence"] == (
        f"Root Admin deactivated {cast.worker.display_name} (sessions ended: 0). Reason: Left the agency."
    )


def audit_ids(api, **params) -> set[str]:
    response = api.get(reverse("api_audit_events"), params)
    assert response.status_code == 200, response.content
    assert response.json()["count"] <= 50, "the filter test expects one page"
    return {row["id"] for row in response.json()["results"]}


def public_ids(events) -> set[str]:
    return {str(event.public_id) for event in events}


def test_it_filters_audit_events_by_action_target_and_actor(cast, api_for):
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    services.user_change_password(user=cast.supervisor, new_password=NEW_PASSWORD)
    api = api_for(cast.auditor)

    deactivations = AuditEvent.objects.filter(action="accounts.user.deactivated")
    assert audit_ids(api, action="deactivated") == public_ids(deactivations)
    unit_events = AuditEvent.objects.filter(target_type="accounts.unit")
    assert len(unit_events) >= 4
    assert audit_ids(api, target_type="accounts.unit") == public_ids(unit_events)

    about_worker = AuditEvent.objects.filter(target_type="accounts.user", target_id=str(cast.worker.public_id))
    assert len(about_worker) == 2
    assert audit_ids(api, target_type="accounts.user", target_id=str(cast.worker.public_id)) == public_ids(about_worker)
    assert audit_ids(api, target_type="accounts.unit", target_id=str(cast.worker.public_id)) == set()

    by_supervisor = AuditEvent.objects.filter(actor=cast.supervisor)
    assert len(by_supervisor) == 1
    assert audit_ids(api, actor=cast.supervisor.public_id) == public_ids(by_supervisor)


def test_it_filters_audit_events_by_date(cast, api_for):
    api = api_for(cast.auditor)
    today = timezone.localdate()
    everything = public_ids(AuditEvent.objects.filter(action="accounts.unit.created"))
    assert audit_ids(api, target_type="accounts.unit", action="created", since=today.isoformat()) == everything
    assert audit_ids(api, target_type="accounts.unit", action="created", until=today.isoformat()) == everything
    assert (
        audit_ids(api, target_type="accounts.unit", action="created", since=today.isoformat(), until=today.isoformat())
        == everything
    )
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    assert audit_ids(api, target_type="accounts.unit", action="created", since=tomorrow.isoformat()) == set()
    assert audit_ids(api, target_type="accounts.unit", action="created", until=yesterday.isoformat()) == set()


def test_it_refuses_a_bad_audit_filter(cast, api_for):
    api = api_for(cast.auditor)
    for params in [
        {"since": "2024-05-02", "until": "2024-05-01"},
        {"since": "not-a-date"},
        {"actor": "00000000-0000-0000-0000-000000000000"},
    ]:
        assert api.get(reverse("api_audit_events"), params).status_code == 400, params


# Who may use which endpoint


def test_other_roles_cannot_manage_staff_or_units(cast, api_for):
    unit_url = reverse("api_unit_detail", args=[cast.unit.public_id])
    for role in ["caseworker", "supervisor", "auditor", "program_manager", "intake_screener"]:
        api = api_for(cast.by_role()[role])
        attempts = {
            "list staff": api.get(reverse("api_staff_list")),
            "create staff": api.post(reverse("api_staff_list"), new_staff(), format="json"),
            "read staff": api.get(staff_url(cast.worker)),
            "change staff": api.patch(staff_url(cast.worker), {"first_name": "Mallory"}, format="json"),
            "deactivate": api.post(staff_url(cast.worker, "deactivate"), {"reason": "x"}, format="json"),
            "reset password": api.post(staff_url(cast.worker, "reset_password")),
            "list units": api.get(reverse("api_unit_list")),
            "create unit": api.post(reverse("api_unit_list"), {"name": "Rogue Unit"}, format="json"),
            "change unit": api.patch(unit_url, {"name": "Renamed"}, format="json"),
        }
        assert {name: response.status_code for name, response in attempts.items()} == dict.fromkeys(attempts, 403), role
    worker = User.objects.get(pk=cast.worker.pk)
    assert worker.is_active and worker.first_name == cast.worker.first_name
    assert not User.objects.filter(username="new-worker").exists()
    assert set(Unit.objects.values_list("name", flat=True)) == {"North Unit", "South Unit"}


def test_only_administrators_and_auditors_read_audit_events(cast, api_for):
    statuses = {
        role: api_for(user).get(reverse("api_audit_events")).status_code for role, user in cast.by_role().items()
    }
    assert statuses == {
        "administrator": 200,
        "auditor": 200,
        "caseworker": 403,
        "supervisor": 403,
        "program_manager": 403,
        "intake_screener": 403,
    }


def test_a_deactivated_user_gets_nothing(cast, api_for):
    api = api_for(cast.auditor)
    services.user_deactivate(actor=cast.administrator, user=cast.auditor, reason="Contract ended")
    assert api.get(reverse("api_audit_events")).status_code == 403
    assert api.get(reverse("api_me")).status_code == 403


def test_me_returns_the_signed_in_user_and_their_roles(cast, api_for):
    response = api_for(cast.supervisor).get(reverse("api_me"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(cast.supervisor.public_id)
    assert body["username"] == cast.supervisor.username
    assert body["roles"] == [Role.SUPERVISOR.value]
    assert body["unit"] == str(cast.unit.public_id)


# Schema


def test_the_schema_is_an_openapi_3_document(cast, api_for):
    response = api_for(cast.worker).get(reverse("api_schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Kindred API"
    for path in ["/api/staff/", "/api/staff/{public_id}/", "/api/units/", "/api/audit-events/", "/api/me/"]:
        assert path in schema["paths"], path


def test_the_schema_generates_and_validates_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/staff/:" in target.read_text()

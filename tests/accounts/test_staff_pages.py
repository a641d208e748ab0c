"""Administrators manage staff in the pages; everyone else is kept out."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import AuditEvent, StaffChangeRequest, User
from accounts.roles import Role
from tests.factories import approving_administrator, make_staff

pytestmark = pytest.mark.django_db


def test_it_lists_and_searches_staff(cast, client_for):
    client = client_for(cast.administrator)
    response = client.get(reverse("staff_list"), {"q": cast.worker.last_name})
    assert response.status_code == 200
    assert cast.worker.display_name in response.content.decode()
    assert cast.other_worker.username not in response.content.decode()


def test_it_lists_staff_in_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.administrator)
    client.get(reverse("staff_list"))
    # 12 reads, and the one INSERT of the list's audit row.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("staff_list"))
    assert response.status_code == 200


def test_it_creates_an_account_without_a_role_with_a_generated_password(cast, client_for):
    client = client_for(cast.administrator)
    response = client.post(
        reverse("staff_create"),
        {"username": "new-worker", "first_name": "Avery", "last_name": "Quinlan", "email": "", "unit": cast.unit.pk},
    )
    created = User.objects.get(username="new-worker")
    assert response.status_code == 302
    assert created.must_change_password
    assert created.unit == cast.unit
    page = client.get(response["Location"]).content.decode()
    assert "shown only this once" in page
    assert "already shown" in client.get(response["Location"]).content.decode()
    event = AuditEvent.objects.get(action="accounts.user.created", target_id=str(created.public_id))
    assert event.actor == cast.administrator


def test_it_creates_a_caseworker_whose_role_a_second_administrator_approves(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(cast.administrator)
    response = client.post(
        reverse("staff_create"),
        {
            "username": "new-worker",
            "first_name": "Avery",
            "last_name": "Quinlan",
            "email": "avery@example.org",
            "roles": [Role.CASEWORKER.value],
            "unit": cast.unit.pk,
            "reason": "New hire in North Unit",
        },
    )
    created = User.objects.get(username="new-worker")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_detail", args=[created.public_id])
    assert created.must_change_password and not created.has_usable_password()
    assert not created.has_role(Role.CASEWORKER)
    assert created.unit == cast.unit
    assert 'id="temporary-password"' not in client.get(response["Location"]).content.decode()

    change = StaffChangeRequest.objects.get(account=created)
    approver = client_for(approving_administrator())
    with django_capture_on_commit_callbacks(execute=True):
        response = approver.post(reverse("staff_approval", args=[change.public_id]), {"decision": "approve"})
    assert response.status_code == 302
    created = User.objects.get(pk=created.pk)
    assert created.has_role(Role.CASEWORKER)
    assert created.unit == cast.unit
    assert [mail.to for mail in mailoutbox] == [["avery@example.org"]]
    event = AuditEvent.objects.get(action="accounts.user.created", target_id=str(created.public_id))
    assert event.actor == cast.administrator


def test_it_shows_form_errors_and_saves_nothing_on_bad_input(cast, client_for):
    client = client_for(cast.administrator)
    response = client.post(
        reverse("staff_create"),
        {"username": "weak", "first_name": "A", "last_name": "B", "password": "short", "roles": []},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()
    assert not AuditEvent.objects.filter(target_label__contains="weak").exists()


def test_it_changes_roles_unit_and_clearances_with_an_audit_row(cast, client_for):
    client = client_for(cast.administrator)
    response = client.post(
        reverse("staff_edit", args=[cast.worker.public_id]),
        {
            "first_name": cast.worker.first_name,
            "last_name": cast.worker.last_name,
            "email": cast.worker.email,
            "roles": [Role.CASEWORKER.value, Role.INTAKE_SCREENER.value],
            "unit": cast.other_unit.pk,
            "clearance_sensitive": "on",
            "reason": "Moves to South Unit's intake desk",
        },
    )
    assert response.status_code == 302
    # The new role and the clearance wait for a second administrator; the unit changes at once.
    change = StaffChangeRequest.objects.get(account=cast.worker)
    client_for(approving_administrator()).post(
        reverse("staff_approval", args=[change.public_id]), {"decision": "approve"}
    )
    worker = User.objects.get(pk=cast.worker.pk)
    assert worker.unit == cast.other_unit
    assert worker.clearance_sensitive
    assert worker.has_role(Role.INTAKE_SCREENER)
    changes = {}
    for event in AuditEvent.objects.filter(action="accounts.user.updated", target_id=str(cast.worker.public_id)):
        changes.update(event.changes)
    assert changes["unit"] == {"old": "North Unit", "new": "South Unit"}
    assert changes["clearance_sensitive"] == {"old": False, "new": True}


def test_an_administrator_cannot_raise_their_own_clearance(cast, client_for):
    client = client_for(cast.administrator)
    response = client.post(
        reverse("staff_edit", args=[cast.administrator.public_id]),
        {
            "first_name": "Root",
            "last_name": "Admin",
            "email": "",
            "roles": [Role.ADMINISTRATOR.value],
            "clearance_sealed": "on",
        },
    )
    assert response.status_code == 200
    assert "cannot raise your own clearance" in response.content.decode()
    cast.administrator.refresh_from_db()
    assert not cast.administrator.clearance_sealed
    assert not AuditEvent.objects.filter(action="accounts.user.updated").exists()


def test_the_last_administrator_keeps_the_role(cast, client_for):
    services.user_deactivate(actor=cast.administrator, user=approving_administrator(), reason="Retired")
    client = client_for(cast.administrator)
    response = client.post(
        reverse("staff_edit", args=[cast.administrator.public_id]),
        {"first_name": "Root", "last_name": "Admin", "email": "", "roles": [Role.AUDITOR.value]},
    )
    assert response.status_code == 200
    assert "last active administrator" in response.content.decode()
    assert User.objects.get(pk=cast.administrator.pk).has_role(Role.ADMINISTRATOR)


def test_it_deactivates_and_reactivates_without_deleting(cast, client_for):
    client = client_for(cast.administrator)
    response = client.post(reverse("staff_deactivate", args=[cast.worker.public_id]), {"reason": "Left the agency"})
    assert response.status_code == 302
    cast.worker.refresh_from_db()
    assert not cast.worker.is_active and cast.worker.deactivated_at
    response = client.post(reverse("staff_reactivate", args=[cast.worker.public_id]), {"reason": "Rehired"})
    cast.worker.refresh_from_db()
    assert cast.worker.is_active
    actions = list(AuditEvent.objects.filter(target_id=str(cast.worker.public_id)).values_list("action", flat=True))
    assert "accounts.user.deactivated" in actions and "accounts.user.reactivated" in actions


def test_deactivation_needs_a_reason(cast, client_for):
    client = client_for(cast.administrator)
    response = client.post(reverse("staff_deactivate", args=[cast.worker.public_id]), {"reason": ""})
    assert response.status_code == 200
    cast.worker.refresh_from_db()
    assert cast.worker.is_active


def test_it_resets_a_password_that_must_then_be_changed(cast, client_for):
    """An account without a role or a clearance; see test_duties for the others."""
    newcomer = make_staff("newcomer")
    client = client_for(cast.administrator)
    response = client.post(reverse("staff_reset_password", args=[newcomer.public_id]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password
    password = page.split('id="temporary-password">')[1].split("<")[0]
    assert newcomer.check_password(password)


def test_the_staff_history_reads_as_sentences(cast, client_for):
    client = client_for(cast.administrator)
    client.post(reverse("staff_deactivate", args=[cast.worker.public_id]), {"reason": "Left the agency"})
    page = client.get(reverse("staff_detail", args=[cast.worker.public_id])).content.decode()
    assert f"Root Admin deactivated {cast.worker.display_name}" in page
    assert "Reason: Left the agency" in page


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "auditor", "program_manager", "intake_screener"])
def test_other_roles_cannot_manage_staff(cast, client_for, role):
    client = client_for(cast.by_role()[role])
    assert client.get(reverse("staff_list")).status_code == 403
    assert client.get(reverse("staff_detail", args=[cast.worker.public_id])).status_code == 404
    response = client.post(reverse("staff_deactivate", args=[cast.worker.public_id]), {"reason": "x"})
    assert response.status_code == 404
    cast.worker.refresh_from_db()
    assert cast.worker.is_active


def test_units_are_created_and_renamed(cast, client_for):
    client = client_for(cast.administrator)
    response = client.post(
        reverse("unit_create"), {"name": "East Unit", "supervisor": cast.supervisor.pk, "reason": "A new team"}
    )
    assert response.status_code == 302
    response = client.post(reverse("unit_create"), {"name": "east unit"})
    assert "already exists" in response.content.decode()

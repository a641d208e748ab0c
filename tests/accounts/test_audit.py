"""The audit log: written with its change or not at all, never edited, readable by auditors."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AuditEvent, Unit, User
from accounts.roles import Role
from tests.factories import approving_administrator, make_staff, make_unit, root_administrator

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


# Written in the same transaction as the change


def test_a_change_rolled_back_after_it_was_audited_leaves_no_audit_row(cast):
    events = AuditEvent.objects.count()
    with pytest.raises(Boom), transaction.atomic():
        services.user_create(
            actor=cast.administrator,
            username="rolled-back",
            first_name="Rory",
            last_name="Back",
            email="rory@example.org",
            roles=[Role.CASEWORKER],
            approved_by=approving_administrator(),
        )
        assert AuditEvent.objects.count() == events + 1
        raise Boom
    assert not User.objects.filter(username="rolled-back").exists()
    assert AuditEvent.objects.count() == events


def test_a_deactivation_rolled_back_keeps_the_account_and_writes_nothing(cast):
    events = AuditEvent.objects.count()
    with pytest.raises(Boom), transaction.atomic():
        services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
        raise Boom
    assert User.objects.get(pk=cast.worker.pk).is_active
    assert AuditEvent.objects.count() == events


def test_a_service_that_fails_midway_leaves_neither_its_writes_nor_an_audit_row(cast):
    # unit_create makes the unit's group before it validates the unit's name.
    name = "N" * 130
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.unit_create(actor=cast.administrator, name=name, supervisor=None)
    assert not Group.objects.filter(name=f"Unit: {name}").exists()
    assert not Unit.objects.filter(name=name).exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "attempt",
    [
        lambda cast: services.user_deactivate(actor=cast.administrator, user=cast.worker, reason=" "),
        lambda cast: services.user_deactivate(actor=cast.administrator, user=cast.administrator, reason="x"),
        lambda cast: services.user_reactivate(actor=cast.administrator, user=cast.worker, reason="Already active"),
        lambda cast: services.user_change_password(user=cast.worker, new_password="short"),
        lambda cast: services.unit_create(actor=cast.administrator, name="north unit", supervisor=None),
        lambda cast: services.unit_update(
            actor=cast.administrator, unit=cast.unit, name=cast.unit.name, supervisor=cast.worker
        ),
        lambda cast: services.user_update(
            actor=cast.administrator,
            user=cast.administrator,
            first_name="Root",
            last_name="Admin",
            email="",
            roles=[Role.ADMINISTRATOR],
            unit=None,
            clearance_sensitive=True,
            clearance_sealed=False,
        ),
    ],
    ids=[
        "blank-reason",
        "self-deactivation",
        "already-active",
        "short-password",
        "duplicate-unit",
        "non-supervisor",
        "own-clearance",
    ],
)
def test_a_refused_change_writes_no_audit_row(cast, attempt):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        attempt(cast)
    assert AuditEvent.objects.count() == events


def test_an_update_that_changes_nothing_writes_no_audit_row(cast):
    events = AuditEvent.objects.count()
    services.unit_update(actor=cast.administrator, unit=cast.unit, name=cast.unit.name, supervisor=cast.supervisor)
    assert AuditEvent.objects.count() == events


# Never changed or deleted


@pytest.fixture
def event(cast) -> AuditEvent:
    return AuditEvent.objects.filter(action="accounts.user.created").first()


def test_an_audit_event_cannot_be_changed_or_deleted_through_the_model(event):
    event.reason = "Rewritten history"
    with pytest.raises(ValueError, match="cannot be changed"):
        event.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_the_database_refuses_bulk_changes_and_deletes_of_audit_events(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="Rewritten history")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_the_database_refuses_raw_sql_that_changes_or_deletes_audit_events(event):
    assert connection.vendor == "postgresql"
    for statement in [
        "UPDATE accounts_auditevent SET action = 'tampered' WHERE id = %s",
        "UPDATE accounts_auditevent SET actor_id = NULL WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="audit events cannot be changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    # The connection is still usable and the row is as it was.
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "accounts.user.created"
    assert stored.actor_id == event.actor_id


def test_the_database_still_accepts_new_audit_events(cast):
    events = AuditEvent.objects.count()
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    assert AuditEvent.objects.count() == events + 1


def test_an_actor_with_audit_history_cannot_be_deleted(cast):
    with pytest.raises(DatabaseError), transaction.atomic():
        User.objects.filter(pk=cast.administrator.pk).delete()
    assert User.objects.filter(pk=cast.administrator.pk).exists()


# Where the change came from


def test_it_records_the_client_address_of_the_request(cast, client_for):
    client = client_for(cast.administrator)
    client.post(
        reverse("staff_deactivate", args=[cast.worker.public_id]),
        {"reason": "Left the agency"},
        REMOTE_ADDR="203.0.113.7",
    )
    event = AuditEvent.objects.get(action="accounts.user.deactivated")
    assert event.ip_address == "203.0.113.7"
    assert event.actor == cast.administrator


def test_a_forwarded_for_header_is_ignored_when_not_behind_a_proxy(cast, client_for, settings):
    assert not getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    client = client_for(cast.administrator)
    client.post(
        reverse("staff_deactivate", args=[cast.worker.public_id]),
        {"reason": "Left the agency"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="192.0.2.66",
    )
    assert AuditEvent.objects.get(action="accounts.user.deactivated").ip_address == "203.0.113.7"


def test_behind_a_proxy_it_records_the_address_the_proxy_saw(cast, client_for, settings):
    # The proxy appends the address it saw; anything before it came from the client and may be forged.
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = client_for(cast.administrator)
    client.post(
        reverse("staff_deactivate", args=[cast.worker.public_id]),
        {"reason": "Left the agency"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.4",
    )
    assert AuditEvent.objects.get(action="accounts.user.deactivated").ip_address == "198.51.100.4"


def test_a_malformed_forwarded_for_header_does_not_break_the_change(cast, client_for, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = client_for(cast.administrator)
    response = client.post(
        reverse("staff_deactivate", args=[cast.worker.public_id]),
        {"reason": "Left the agency"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="unknown",
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="accounts.user.deactivated").ip_address == "10.0.0.2"


def test_work_outside_a_request_is_recorded_without_an_address(cast):
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    assert AuditEvent.objects.get(action="accounts.user.deactivated").ip_address is None


# The audit pages


def rows(response) -> list[tuple[AuditEvent, str]]:
    assert response.status_code == 200
    return response.context["rows"]


def actions(response) -> set[str]:
    return {event.action for event, _ in rows(response)}


def test_the_audit_page_reads_as_sentences(cast, client_for):
    client = client_for(cast.auditor)
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    response = client.get(reverse("audit_list"))
    page = response.content.decode()
    assert f"Root Admin deactivated {cast.worker.display_name} (sessions ended: 0). Reason: Left the agency." in page
    assert "Root Admin created the unit North Unit" in page
    assert "The system created the staff account of Root Admin" in page
    assert reverse("audit_target", args=["accounts.user", str(cast.worker.public_id)]) in page


def test_the_audit_page_filters_by_actor(cast, client_for):
    client = client_for(cast.auditor)
    services.user_change_password(user=cast.supervisor, new_password="a-quiet-lantern-over-the-river")
    found = rows(client.get(reverse("audit_list"), {"actor": cast.supervisor.public_id}))
    assert [event.action for event, _ in found] == ["accounts.user.password_changed"]
    assert all(event.actor == cast.supervisor for event, _ in found)


def test_the_audit_page_filters_by_kind_of_record_and_action_chosen_by_name(cast, client_for):
    client = client_for(cast.auditor)
    assert actions(client.get(reverse("audit_list"), {"target_type": "accounts.unit"})) == {
        "accounts.unit.created",
        "accounts.unit.updated",
    }
    found = client.get(reverse("audit_list"), {"target_type": "accounts.unit", "action": "created"})
    assert actions(found) == {"accounts.unit.created"}
    form = found.context["form"]
    assert ("created", "created") in form.fields["action"].choices
    assert ("listed", "viewed a list") in form.fields["action"].choices
    assert ("families.person", "Person") in form.fields["target_type"].choices


def test_the_audit_page_refuses_a_raw_code_it_does_not_offer(cast, client_for):
    response = client_for(cast.auditor).get(reverse("audit_list"), {"action": "accounts.unit"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_audit_page_filters_by_target(cast, client_for):
    client = client_for(cast.auditor)
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    found = rows(
        client.get(reverse("audit_list"), {"target_type": "accounts.user", "target_id": str(cast.worker.public_id)})
    )
    assert [event.action for event, _ in found] == ["accounts.user.deactivated", "accounts.user.created"]
    by_type = rows(client.get(reverse("audit_list"), {"target_type": "accounts.unit"}))
    assert {event.target_type for event, _ in by_type} == {"accounts.unit"}


def test_the_audit_page_filters_by_date_range(cast, client_for):
    client = client_for(cast.auditor)
    today = timezone.localdate()
    total = AuditEvent.objects.count()
    assert len(rows(client.get(reverse("audit_list"), {"since": today, "until": today}))) == total
    assert rows(client.get(reverse("audit_list"), {"since": today + timedelta(days=1)})) == []
    assert rows(client.get(reverse("audit_list"), {"until": today - timedelta(days=1)})) == []


def test_the_audit_page_explains_a_reversed_date_range(cast, client_for):
    response = client_for(cast.auditor).get(reverse("audit_list"), {"since": "2024-05-02", "until": "2024-05-01"})
    assert response.status_code == 200
    assert "The start date is after the end date." in response.content.decode()


def test_the_audit_page_escapes_what_staff_typed(cast, client_for):
    make_staff("markup", Role.CASEWORKER, first_name="<script>alert(1)</script>", last_name="Doe")
    page = client_for(cast.auditor).get(reverse("audit_list")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_history_of_one_record_lists_only_its_events(cast, client_for):
    client = client_for(cast.auditor)
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    services.user_reactivate(actor=cast.administrator, user=cast.worker, reason="Rehired")
    response = client.get(reverse("audit_target", args=["accounts.user", str(cast.worker.public_id)]))
    assert response.status_code == 200
    history = response.context["history"]
    assert [event.action for event, _ in history] == [
        "accounts.user.reactivated",
        "accounts.user.deactivated",
        "accounts.user.created",
    ]
    page = response.content.decode()
    assert f"History of {cast.worker.display_name}" in page
    assert "Reason: Rehired" in page
    assert cast.other_worker.display_name not in page


def test_the_history_of_an_unknown_record_is_empty(cast, client_for):
    response = client_for(cast.auditor).get(reverse("audit_target", args=["accounts.user", "no-such-record"]))
    assert response.status_code == 200
    assert response.context["history"] == []
    assert "Nothing recorded yet." in response.content.decode()


def test_only_administrators_and_auditors_read_the_audit_pages(cast, client_for):
    target = reverse("audit_target", args=["accounts.user", str(cast.worker.public_id)])
    statuses = {}
    for role, user in cast.by_role().items():
        client = client_for(user)
        statuses[role] = (client.get(reverse("audit_list")).status_code, client.get(target).status_code)
    assert statuses == {
        "administrator": (200, 200),
        "auditor": (200, 200),
        "caseworker": (403, 403),
        "supervisor": (403, 403),
        "program_manager": (403, 403),
        "intake_screener": (403, 403),
    }


def test_the_audit_page_reads_a_fixed_number_of_queries(db, client_for, django_assert_max_num_queries):
    administrator = root_administrator()
    second = make_staff("second-admin", Role.ADMINISTRATOR)
    auditor = make_staff("auditor", Role.AUDITOR)
    unit = make_unit("North Unit")
    client = client_for(auditor)

    def rename(count: int) -> None:
        for number in range(count):
            actor = administrator if number % 2 else second
            services.unit_update(
                actor=actor, unit=unit, name=f"North Unit {AuditEvent.objects.count()}", supervisor=None
            )

    def measure(events: int) -> int:
        rename(events - AuditEvent.objects.count())
        assert AuditEvent.objects.count() == events
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("audit_list"))
        assert len(rows(response)) == events
        return len(queries)

    client.get(reverse("audit_list"))
    few = measure(10)
    many = measure(60)
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(reverse("audit_list"))

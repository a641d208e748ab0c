"""The audit log holds no case content: which fields changed, never their values; that a reason was given,
never its text; no person linked to the reporter role. Administrators read the staff administration
events only; auditors read everything."""

import importlib
import json

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts import services
from accounts.audit import describe
from accounts.models import AuditEvent
from cases import services as cases
from families import services as families
from tests.factories import make_case, make_person, make_report

pytestmark = pytest.mark.django_db

scrub_migration = importlib.import_module("accounts.migrations.0008_scrub_audit_case_content")


def logged(**lookup) -> str:
    """Everything the matching audit rows hold, as one text to search."""
    rows = AuditEvent.objects.filter(**lookup).values("changes", "reason", "target_label")
    return json.dumps(list(rows))


def test_a_person_edit_logs_which_fields_changed_never_their_values(cast):
    person = make_person(cast.screener, first_name="Oriel", last_name="Vantongeren", age=8)
    families.person_update(actor=cast.screener, person=person, first_name="Orielle", phone="555-0177")
    event = AuditEvent.objects.get(action="families.person.updated")
    assert event.changes == {"fields": ["first_name", "phone"]}
    for value in ("Oriel", "Orielle", "Vantongeren", "555-0177"):
        assert value not in logged(target_type="families.person")
    assert describe(event).endswith("(changed: first name, phone).")


def test_no_entry_links_a_person_to_the_reporter_role(cast):
    report = make_report(cast.screener)
    reporter = make_person(cast.screener, age=40)
    cases.report_add_person(actor=cast.screener, report=report, person=reporter, role="reporter")
    added = AuditEvent.objects.filter(action="cases.intakereport.person_added").latest("id")
    assert added.changes == {"person": reporter.audit_label()}
    assert "eporter" not in logged(target_id=str(report.public_id))


def test_a_free_text_reason_is_noted_as_given_never_stored(cast):
    case = make_case(cast.supervisor, worker=cast.worker)
    member = case.members.filter(role="child").first()
    why = "Moved to her grandmother Zinnia after the hospital stay"
    cases.case_end_member(actor=cast.supervisor, member=member, ended_on=member.started_on, reason=why)
    event = AuditEvent.objects.get(action="cases.case.member_ended")
    assert event.reason == "" and event.changes["reason_given"] is True
    assert "Zinnia" not in logged(target_type="cases.case")
    assert "giving a reason" in describe(event)


def test_staff_events_keep_their_details(cast):
    services.user_deactivate(actor=cast.administrator, user=cast.worker, reason="Left the agency")
    event = AuditEvent.objects.get(action="accounts.user.deactivated")
    assert event.reason == "Left the agency" and event.changes == {"sessions_ended": 0}


def test_a_sign_in_reads_as_a_sentence(cast, client_for):
    client_for(cast.worker)
    event = AuditEvent.objects.filter(action="accounts.user.signed_in", actor=cast.worker).latest("id")
    assert describe(event) == f"{cast.worker.display_name} signed in."


# Who reads which events


def test_administrators_read_only_staff_administration_events(cast, client_for, api_for):
    make_person(cast.screener, age=9)
    make_case(cast.supervisor, worker=cast.worker)
    page = client_for(cast.administrator).get(reverse("audit_list"))
    shown = {event.target_type for event, _ in page.context["rows"]}
    assert "accounts.user" in shown and "accounts.unit" in shown
    assert not shown & {"families.person", "cases.case"}
    body = api_for(cast.administrator).get(reverse("api_audit_events"), {"page_size": 500}).json()
    assert not {row["target_type"] for row in body["results"]} & {"families.person", "cases.case"}
    by_kind = api_for(cast.administrator).get(reverse("api_audit_events"), {"target_type": "families.person"})
    assert by_kind.json()["count"] == 0


def test_auditors_read_every_event(cast, client_for):
    make_person(cast.screener, age=9)
    page = client_for(cast.auditor).get(reverse("audit_list"))
    shown = {event.target_type for event, _ in page.context["rows"]}
    assert {"accounts.user", "families.person"} <= shown


def test_an_administrator_reads_no_history_of_a_case_record(cast, client_for):
    person = make_person(cast.screener, age=9)
    url = reverse("audit_target", args=["families.person", person.public_id])
    assert client_for(cast.administrator).get(url).context["history"] == []
    assert client_for(cast.auditor).get(url).context["history"] != []


# The entries written before the rule


def test_the_migration_scrubs_old_entries_and_leaves_the_log_protected(cast):
    person = make_person(cast.screener, age=9)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_auditevent (public_id, occurred_at, action, target_type, target_id, target_label,"
            " changes, reason) VALUES (gen_random_uuid(), now(), 'families.person.updated', 'families.person', %s,"
            " 'Person x', %s, 'Her uncle Basilio asked')",
            [str(person.public_id), json.dumps({"phone": {"old": "", "new": "555-0188"}})],
        )
    legacy = AuditEvent.objects.filter(action="families.person.updated").latest("id")
    staff = AuditEvent.objects.filter(target_type="accounts.user").exclude(changes={}).first()
    staff_before = (staff.changes, staff.reason)

    with connection.schema_editor() as editor:
        scrub_migration.scrub(apps, editor)

    legacy.refresh_from_db()
    assert legacy.changes == {"fields": ["phone"], "reason_given": True} and legacy.reason == ""
    staff.refresh_from_db()
    assert (staff.changes, staff.reason) == staff_before
    scrubbed = AuditEvent.objects.get(action="accounts.auditevent.scrubbed")
    assert scrubbed.changes["count"] >= 1
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET reason = 'x' WHERE id = %s", [legacy.pk])

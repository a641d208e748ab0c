"""On PostgreSQL the database itself keeps the audit log: no UPDATE, DELETE or TRUNCATE, and start-up
fails when a trigger that ensures it is missing or switched off."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import DatabaseError, connection, transaction

from accounts.checks import audit_triggers_in_place
from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

ROW_TRIGGER = "accounts_auditevent_immutable"
TRUNCATE_TRIGGER = "accounts_auditevent_no_truncate"


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only")


def run(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def refusal(sql: str) -> str | None:
    """The database's error message for `sql`, or None when it ran."""
    try:
        with transaction.atomic():
            # Rows this test wrote leave deferred foreign-key checks pending, and PostgreSQL refuses to
            # truncate a table with pending trigger events: run them now, so only the audit trigger can refuse.
            run("SET CONSTRAINTS ALL IMMEDIATE")
            run(sql)
    except DatabaseError as error:
        return str(error)
    return None


def test_truncating_the_audit_log_is_refused(cast):
    count = AuditEvent.objects.count()
    assert count > 0
    assert "audit events cannot be truncated" in refusal("TRUNCATE accounts_auditevent")
    assert "audit events cannot be truncated" in refusal("TRUNCATE accounts_user CASCADE")
    assert AuditEvent.objects.count() == count


def test_changing_or_deleting_an_audit_row_is_still_refused(cast):
    assert "cannot be changed or deleted" in refusal("UPDATE accounts_auditevent SET reason = 'rewritten'")
    assert "cannot be changed or deleted" in refusal("DELETE FROM accounts_auditevent")


def test_the_check_passes_with_both_triggers_in_place():
    assert audit_triggers_in_place() == []


@pytest.mark.parametrize(
    ("sql", "trigger"),
    [
        (f"DROP TRIGGER {ROW_TRIGGER} ON accounts_auditevent", ROW_TRIGGER),
        (f"DROP TRIGGER {TRUNCATE_TRIGGER} ON accounts_auditevent", TRUNCATE_TRIGGER),
        (f"ALTER TABLE accounts_auditevent DISABLE TRIGGER {ROW_TRIGGER}", ROW_TRIGGER),
        (f"ALTER TABLE accounts_auditevent DISABLE TRIGGER {TRUNCATE_TRIGGER}", TRUNCATE_TRIGGER),
    ],
)
def test_start_up_fails_when_a_trigger_is_dropped_or_disabled(sql, trigger):
    with transaction.atomic():
        run(sql)
        errors = audit_triggers_in_place()
        with pytest.raises(SystemCheckError, match=trigger):
            call_command("check")
        transaction.set_rollback(True)
    assert [error.id for error in errors] == ["accounts.E001"]
    assert trigger in errors[0].msg
    assert audit_triggers_in_place() == []


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_still_works_and_keeps_the_trigger(cast):
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert audit_triggers_in_place() == []
    assert "audit events cannot be truncated" in refusal("TRUNCATE accounts_auditevent")

from django.db import migrations

# TRUNCATE fires no row trigger, so the row-level protection of 0002 does not stop it: a statement
# trigger does. accounts.checks and the flush command (accounts/management) name it: keep the names in step.
PROTECT_AUDIT = """
CREATE OR REPLACE FUNCTION kindred_audit_event_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be truncated';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_no_truncate
    BEFORE TRUNCATE ON accounts_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION kindred_audit_event_no_truncate();
"""
UNPROTECT_AUDIT = """
DROP TRIGGER IF EXISTS accounts_auditevent_no_truncate ON accounts_auditevent;
DROP FUNCTION IF EXISTS kindred_audit_event_no_truncate();
"""


def protect_audit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PROTECT_AUDIT)


def unprotect_audit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNPROTECT_AUDIT)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_notification_emailed_at"),
    ]

    operations = [
        migrations.RunPython(protect_audit, unprotect_audit),
    ]

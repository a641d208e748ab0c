from django.db import migrations

ROLE_GROUPS = ["Intake screener", "Caseworker", "Supervisor", "Program manager", "Administrator", "Auditor"]

# On PostgreSQL the database itself refuses to change or delete an audit row.
PROTECT_AUDIT = """
CREATE OR REPLACE FUNCTION kindred_audit_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_immutable
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION kindred_audit_event_immutable();
"""
UNPROTECT_AUDIT = """
DROP TRIGGER IF EXISTS accounts_auditevent_immutable ON accounts_auditevent;
DROP FUNCTION IF EXISTS kindred_audit_event_immutable();
"""


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def protect_audit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PROTECT_AUDIT)


def unprotect_audit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNPROTECT_AUDIT)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(protect_audit, unprotect_audit),
    ]

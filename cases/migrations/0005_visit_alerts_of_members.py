import django.db.models.deletion
from django.db import migrations, models

# A person leaves a case by an end date; their member row stays, with everything recorded about them.
PROTECT_MEMBERS = """
CREATE OR REPLACE FUNCTION kindred_case_member_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case members cannot be deleted: end their membership instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_casemember_kept
    BEFORE DELETE ON cases_casemember
    FOR EACH ROW EXECUTE FUNCTION kindred_case_member_kept();
"""
UNPROTECT_MEMBERS = """
DROP TRIGGER IF EXISTS cases_casemember_kept ON cases_casemember;
DROP FUNCTION IF EXISTS kindred_case_member_kept();
"""


def protect_members(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PROTECT_MEMBERS)


def unprotect_members(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNPROTECT_MEMBERS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_visit_job_runs"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="visitalert",
            name="case",
        ),
        migrations.AlterField(
            model_name="visitalert",
            name="member",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="visit_alerts",
                to="cases.casemember",
            ),
        ),
        migrations.RunPython(protect_members, unprotect_members),
    ]

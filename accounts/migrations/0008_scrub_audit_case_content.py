"""Remove case content from the audit entries written before the log kept none (issue #10, item 7).

Entries about case records (people, reports, cases, investigations, their contacts...) keep which fields
changed, never their values, and that a reason was given, never its text: the same rule
`accounts.audit.content_free` applies to every new entry, frozen here as it stood when this ran.

The log refuses UPDATE (trigger `accounts_auditevent_immutable`, migration 0002). This migration, and
nothing else, turns that trigger off for its own transaction: DISABLE and ENABLE run in the migration's
transaction, so a failure anywhere rolls the trigger back on with the data. It then writes one entry
saying how many entries it scrubbed, so the scrub is itself on the record. Reversing it is a no-op:
the values are gone.
"""

from django.db import migrations

STAFF_TARGET_TYPES = {"accounts.user", "accounts.unit", "accounts.staffchangerequest", "accounts.auditevent"}
CONTENT_FREE_KEYS = {
    "ids",
    "count",
    "field",
    "fields",
    "reason_given",
    "person",
    "household",
    "contact",
    "merged_record",
    "links_moved",
    "members",
    "trigger",
    "grantee",
    "permission",
    "expires_at",
}
TRIGGER = "accounts_auditevent_immutable"


def content_free(changes: dict, reason: str) -> dict:
    kept = {key: value for key, value in changes.items() if key in CONTENT_FREE_KEYS}
    named = sorted({*kept.pop("fields", []), *(key for key in changes if key not in CONTENT_FREE_KEYS)})
    if named:
        kept["fields"] = named
    if reason.strip():
        kept["reason_given"] = True
    return kept


def scrub(apps, schema_editor):
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    scrubbed = []
    for event in AuditEvent.objects.exclude(target_type__in=STAFF_TARGET_TYPES).iterator(chunk_size=2000):
        changes = content_free(event.changes or {}, event.reason)
        if changes != (event.changes or {}) or event.reason:
            event.changes, event.reason = changes, ""
            scrubbed.append(event)
    if not scrubbed:
        return
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        # ALTER TABLE refuses to run while deferred foreign-key checks of this transaction wait: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE accounts_auditevent DISABLE TRIGGER {TRIGGER}")
    AuditEvent.objects.bulk_update(scrubbed, ["changes", "reason"], batch_size=1000)
    if postgres:
        schema_editor.execute(f"ALTER TABLE accounts_auditevent ENABLE TRIGGER {TRIGGER}")
    AuditEvent.objects.create(
        action="accounts.auditevent.scrubbed",
        target_type="accounts.auditevent",
        target_id="",
        target_label="the audit log",
        changes={"count": len(scrubbed)},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_audit_names_and_content_free"),
    ]

    operations = [
        migrations.RunPython(scrub, migrations.RunPython.noop),
    ]

"""Notifications stored before 0009 have no kind (their list showed them all under "Staff and accounts").

The kind is the kind of record the notification is about, and every notification about a record links to that
record's page (or a page under it): the link's path gives the kind. What it does not give is left empty, and
listed under "Other": no link, or a link to a work queue (/my-work/, /dashboard/), which both the visit digests
and the notices of a bulk reassignment used. The title names the record as its recipient may see it (family,
children): it is not made up here, from case content, after the fact.
"""

from django.db import migrations

# The kinds 0009 introduced (`accounts.notifications.record_kind`, `Notification.GENERAL_KIND`) by the path of the
# link. Written out, not imported: a migration keeps meaning what it meant when the URLs or the names change.
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
KIND_BY_LINK = [
    (rf"^/cases/{UUID}/", "Cases"),
    (rf"^/intake/{UUID}/", "Intake reports"),
    (r"^/investigations/", "Investigations"),
    (r"^/staff/", "Staff and accounts"),
]


def backfill(apps, schema_editor) -> None:
    Notification = apps.get_model("accounts", "Notification")
    for pattern, kind in KIND_BY_LINK:
        Notification.objects.filter(kind="", link__regex=pattern).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_notification_kind_title_due"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]

"""Investigations' contacts, kept until now in cases' contact table (with `investigation` set), move to
investigations' own, with their public ids, people seen and amendments; the reverse moves them back.

Apart from 0003, which creates the tables: PostgreSQL refuses to drop a table in the transaction that
deleted its rows, which migrating back through one migration would do.
"""

from django.db import migrations

# Every field a contact keeps, its investigation aside; and an amendment's, its contact aside.
CONTACT_FIELDS = (
    "public_id",
    "occurred_at",
    "contact_type",
    "location",
    "location_detail",
    "seen_privately",
    "narrative",
    "safety_concerns",
    "next_steps",
    "recorded_by_id",
    "recorded_at",
)
AMENDMENT_FIELDS = ("field", "old_value", "new_value", "reason", "by_id", "at")
BATCH = 1000


def move_contacts(source, target, source_amendments, target_amendments):
    """Move every contact `source` selects into the `target` table, a batch at a time: the same public id,
    fields and investigation, the same people seen and amendments; then delete them where they were."""
    source_seen = source.model._meta.get_field("people_seen")
    target_seen = target._meta.get_field("people_seen")
    while batch := list(source.order_by("pk")[:BATCH]):
        target.objects.bulk_create(
            target(
                investigation_id=contact.investigation_id, **{name: getattr(contact, name) for name in CONTACT_FIELDS}
            )
            for contact in batch
        )
        new_ids = dict(
            target.objects.filter(public_id__in=[contact.public_id for contact in batch]).values_list("public_id", "pk")
        )
        moved = {contact.pk: new_ids[contact.public_id] for contact in batch}
        seen = source_seen.remote_field.through.objects.filter(
            **{f"{source_seen.m2m_field_name()}_id__in": list(moved)}
        )
        target_seen.remote_field.through.objects.bulk_create(
            target_seen.remote_field.through(
                **{
                    f"{target_seen.m2m_field_name()}_id": moved[contact_id],
                    f"{target_seen.m2m_reverse_field_name()}_id": person_id,
                }
            )
            for contact_id, person_id in seen.values_list(
                f"{source_seen.m2m_field_name()}_id", f"{source_seen.m2m_reverse_field_name()}_id"
            )
        )
        amendments = source_amendments.objects.filter(contact_id__in=list(moved)).order_by("pk")
        target_amendments.objects.bulk_create(
            target_amendments(
                contact_id=moved[amendment.contact_id], **{name: getattr(amendment, name) for name in AMENDMENT_FIELDS}
            )
            for amendment in amendments
        )
        amendments.delete()
        seen.delete()
        source.model.objects.filter(pk__in=list(moved)).delete()


def to_investigation_contacts(apps, schema_editor):
    move_contacts(
        apps.get_model("cases", "Contact").objects.filter(investigation__isnull=False),
        apps.get_model("investigations", "InvestigationContact"),
        apps.get_model("cases", "ContactAmendment"),
        apps.get_model("investigations", "InvestigationContactAmendment"),
    )


def back_to_case_contacts(apps, schema_editor):
    move_contacts(
        apps.get_model("investigations", "InvestigationContact").objects.all(),
        apps.get_model("cases", "Contact"),
        apps.get_model("investigations", "InvestigationContactAmendment"),
        apps.get_model("cases", "ContactAmendment"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_transitions_share_one_shape"),
        ("investigations", "0003_contacts"),
    ]

    operations = [migrations.RunPython(to_investigation_contacts, back_to_case_contacts)]

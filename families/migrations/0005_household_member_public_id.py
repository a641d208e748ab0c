import uuid

from django.db import migrations, models


def give_public_ids(apps, schema_editor):
    HouseholdMember = apps.get_model("families", "HouseholdMember")
    for member in HouseholdMember.objects.filter(public_id__isnull=True).only("pk"):
        member.public_id = uuid.uuid4()
        member.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0004_search_index_without_pending_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="householdmember",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="householdmember",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="householdmember",
            name="end_reason",
            field=models.TextField(blank=True),
        ),
    ]

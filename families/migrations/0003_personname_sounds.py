from django.db import migrations, models

from families.names import sounds_column

CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS families_personname_sounds_trgm ON families_personname USING gin (sounds gin_trgm_ops)"
)
DROP_INDEX = "DROP INDEX IF EXISTS families_personname_sounds_trgm"


def fill_sounds(apps, schema_editor):
    PersonName = apps.get_model("families", "PersonName")
    rows = list(PersonName.objects.all())
    for row in rows:
        row.sounds = sounds_column(row.name)
    PersonName.objects.bulk_update(rows, ["sounds"], batch_size=1000)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    """Person search also matches by sound (Soundex per word), for misspellings trigrams miss."""

    dependencies = [("families", "0002_person_search_index")]

    operations = [
        migrations.AddField(
            model_name="personname",
            name="sounds",
            field=models.CharField(blank=True, default="", max_length=220),
        ),
        migrations.RunPython(fill_sounds, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]

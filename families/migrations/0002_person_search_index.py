from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS families_personname_trgm ON families_personname USING gin (name gin_trgm_ops)"
)
DROP_INDEX = "DROP INDEX IF EXISTS families_personname_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    """Typo-tolerant person search: a trigram index over names and aliases (PostgreSQL only)."""

    dependencies = [("families", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]

from django.db import migrations

INDEXES = ["families_personname_trgm", "families_personname_sounds_trgm"]


def set_fastupdate(value: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for index in INDEXES:
                schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = {value})")

    return run


class Migration(migrations.Migration):
    """People are added one at a time, searched constantly: write the trigram indexes directly.

    With GIN's pending list on, new names wait in an unsorted list every search must scan
    until the next vacuum; with it off, each insert costs a little more and search stays fast.
    """

    dependencies = [("families", "0003_personname_sounds")]

    operations = [migrations.RunPython(set_fastupdate("off"), set_fastupdate("on"))]

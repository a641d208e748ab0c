from django.db import migrations, models
from django.db.models import F


def mark_sent(apps, schema_editor):
    """Notifications made before e-mails went through the task queue had theirs sent at once."""
    apps.get_model("accounts", "Notification").objects.update(emailed_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="emailed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_sent, migrations.RunPython.noop),
    ]

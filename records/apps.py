from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Record machinery on accounts: workflow, history, amendments, contacts, documents, extension points."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "records"

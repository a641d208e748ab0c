from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Shared record machinery on top of accounts: workflow, history, amendments, contacts, documents, extension points."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "records"

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The top, read-only layer: My work, dashboards, drill-downs and federal measures across the record apps."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"

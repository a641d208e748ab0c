from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Above everything: the demo agency, the large-data generator and the benchmarks, which use every app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"

from django.apps import AppConfig


class CommonConfig(AppConfig):
    """The toolbox under every app: no domain, no models (form-error mapping, drafts, API validation, SQL helpers)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "common"

from django.apps import AppConfig


class CourtConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "court"

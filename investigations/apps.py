from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "investigations"

    def ready(self) -> None:
        from investigations import hooks  # noqa: F401 - importing registers it in cases' extension points

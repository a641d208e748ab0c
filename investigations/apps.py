from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "investigations"

    def ready(self) -> None:
        from investigations import hooks, people  # noqa: F401 - importing hooks registers it in cases' extension points

        people.register()

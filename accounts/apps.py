from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Staff and access"

    def ready(self):
        from accounts import checks, signals  # noqa: F401

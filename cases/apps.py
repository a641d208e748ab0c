from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        from cases import naming, people
        from cases.selectors import approvals
        from records.approvals import approvals as approval_queue

        people.register()
        naming.register()
        approval_queue.register(approvals.report_approvals)
        approval_queue.register(approvals.case_closure_approvals)

from accounts import access, notifications
from accounts.roles import Role


def navigation(request):
    """Which sections the navigation shows; the pages themselves still check access."""
    user = getattr(request, "user", None)
    works_cases = access.has_capability(user, "work_cases")
    return {
        "nav": {
            "staff": access.has_capability(user, "manage_staff"),
            "audit": access.has_capability(user, "read_audit"),
            "jobs": access.has_capability(user, "run_jobs"),
            "intake": access.is_active_user(user) and user.has_role(*access.INTAKE_QUEUE_ROLES),
            "my_work": works_cases and user.has_role(Role.CASEWORKER, Role.SUPERVISOR),
            "dashboard": works_cases and user.has_role(Role.SUPERVISOR, Role.PROGRAM_MANAGER, Role.AUDITOR),
            "people": works_cases,
            "investigations": works_cases,
            "unread": notifications.unread_count(user) if access.is_active_user(user) else 0,
        }
    }

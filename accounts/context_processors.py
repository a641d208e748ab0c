from . import access, notifications


def navigation(request):
    """Which sections the navigation shows; the pages themselves still check access."""
    user = getattr(request, "user", None)
    works_cases = access.has_capability(user, "work_cases")
    return {
        "nav": {
            "staff": access.has_capability(user, "manage_staff"),
            "audit": access.has_capability(user, "read_audit"),
            "intake": access.is_active_user(user) and user.has_role(*access.INTAKE_QUEUE_ROLES),
            "people": works_cases,
            "investigations": works_cases,
            "unread": notifications.unread_count(user) if access.is_active_user(user) else 0,
        }
    }

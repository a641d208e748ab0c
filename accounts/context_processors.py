from . import access


def navigation(request):
    """Which sections the navigation shows; the pages themselves still check access."""
    user = getattr(request, "user", None)
    return {
        "nav": {
            "staff": access.has_capability(user, "manage_staff"),
            "audit": access.has_capability(user, "read_audit"),
        }
    }

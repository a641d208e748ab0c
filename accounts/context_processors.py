from accounts import access, notifications


def navigation(request):
    """Which sections the navigation shows; the pages themselves still check access."""
    user = getattr(request, "user", None)
    works_cases = access.has_capability(user, "work_cases")
    return {
        "nav": {
            "staff": access.has_capability(user, "manage_staff"),
            "audit": access.has_capability(user, "read_audit"),
            # A case record's history (who viewed or changed it) is for those reading case events: auditors.
            "case_audit": access.has_capability(user, "read_case_audit"),
            "jobs": access.has_capability(user, "run_jobs"),
            "holidays": access.has_capability(user, "manage_holidays"),
            "intake": access.has_capability(user, "use_intake_queue"),
            "my_work": access.has_capability(user, "keep_my_work"),
            "dashboard": access.has_capability(user, "read_dashboards"),
            # Opening cases and moving a worker's cases: the pages check the supervised units themselves.
            "supervise": access.has_capability(user, "supervise_units"),
            "cases": works_cases,
            "people": works_cases,
            # Screeners hand reports on and work no investigation: for them the list would always be empty.
            "investigations": works_cases
            and (access.has_capability(user, "keep_my_work") or access.has_capability(user, "read_across_units")),
            "unread": notifications.unread_count(user) if access.is_active_user(user) else 0,
        }
    }

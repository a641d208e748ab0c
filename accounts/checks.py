"""Start-up checks: on PostgreSQL, the triggers that keep the audit log unchangeable are in place.

A later migration (or a hand-typed DROP TRIGGER) could remove one silently; this check makes every
start-up (runserver, migrate, check, the WSGI server's `check --deploy` step) fail instead.
"""

from django.core import checks
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder

# The migration of this app that creates each trigger on accounts_auditevent.
AUDIT_TRIGGERS = {
    "0002_roles_and_audit_protection": "accounts_auditevent_immutable",
    "0005_audit_refuses_truncate": "accounts_auditevent_no_truncate",
}
ENABLED_TRIGGERS_SQL = """
SELECT tgname FROM pg_trigger
WHERE tgrelid = to_regclass('accounts_auditevent') AND NOT tgisinternal AND tgenabled <> 'D'
"""


@checks.register(checks.Tags.security)
def audit_triggers_in_place(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if connection.vendor != "postgresql":
        return []
    try:
        applied = {name for app, name in MigrationRecorder(connection).applied_migrations() if app == "accounts"}
        with connection.cursor() as cursor:
            cursor.execute(ENABLED_TRIGGERS_SQL)
            enabled = {name for (name,) in cursor.fetchall()}
    except DatabaseError:
        # No database to look at yet: whatever needs it reports that itself.
        return []
    # Before its migration has run, a trigger is not missing but still to come.
    missing = [
        (migration, trigger)
        for migration, trigger in AUDIT_TRIGGERS.items()
        if migration in applied and trigger not in enabled
    ]
    return [
        checks.Error(
            f"The trigger {trigger} on accounts_auditevent is missing or disabled: "
            "audit events could be changed, deleted or truncated.",
            hint=f"Create it again with the SQL (PROTECT_AUDIT) of accounts/migrations/{migration}.py.",
            obj="accounts_auditevent",
            id="accounts.E001",
        )
        for migration, trigger in missing
    ]

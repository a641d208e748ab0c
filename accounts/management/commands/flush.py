"""`flush` that can empty the audit log too: the whole database, on purpose (development and tests).

The audit table refuses TRUNCATE (accounts migration 0005). Flushing, which truncates every table,
switches that trigger off inside its own transaction: no other session ever sees it missing.
"""

from django.core.management.commands import flush
from django.db import connections, transaction

TRUNCATE_TRIGGER = "accounts_auditevent_no_truncate"


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass('accounts_auditevent')",
                [TRUNCATE_TRIGGER],
            )
            if cursor.fetchone() is None:
                return super().handle(**options)
            cursor.execute(f"ALTER TABLE accounts_auditevent DISABLE TRIGGER {TRUNCATE_TRIGGER}")
            super().handle(**options)
            cursor.execute(f"ALTER TABLE accounts_auditevent ENABLE TRIGGER {TRUNCATE_TRIGGER}")

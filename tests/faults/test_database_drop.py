"""The database connection drops in the middle of a request: the request fails cleanly (Kindred's own 500 page,
or the API's JSON error; never a traceback) and nothing it had written is kept.

The connection is really ended, by PostgreSQL, as an operator's `pg_terminate_backend` or a failover would end
it: a second connection locks the audit log, so the service stops between saving the new report and writing
its audit entry; the backend waiting there is terminated. The report row it had inserted must be gone with it.
"""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import IntakeReport
from tests.faults.conftest import database_connection

pytestmark = pytest.mark.django_db(transaction=True)


class BackendKiller(threading.Thread):
    """From a second connection: hold a lock on `table`, and terminate the first backend found waiting for it."""

    def __init__(self, table: str, seconds: float = 30) -> None:
        super().__init__(daemon=True)
        self.table, self.seconds = table, seconds
        self.locked = threading.Event()
        self.terminated: list[int] = []

    def run(self) -> None:
        second = database_connection()
        second.autocommit = False
        try:
            with second.cursor() as cursor:
                # SHARE ROW EXCLUSIVE lets others read the table and no one insert into it.
                cursor.execute(f'LOCK TABLE "{self.table}" IN SHARE ROW EXCLUSIVE MODE')  # noqa: S608
                self.locked.set()
                deadline = time.monotonic() + self.seconds
                while not self.terminated and time.monotonic() < deadline:
                    cursor.execute(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                    )
                    for (pid,) in cursor.fetchall():
                        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                        self.terminated.append(pid)
                    time.sleep(0.05)
        finally:
            second.rollback()
            second.close()

    def __enter__(self) -> "BackendKiller":
        self.start()
        assert self.locked.wait(10), "the second connection could not lock the table"
        return self

    def __exit__(self, *exc) -> None:
        self.join(self.seconds + 5)
        # The server would close the dropped connection at the end of the request (the test client does not).
        connection.close()


@pytest.fixture
def screener_client(cast, client):
    client.raise_request_exception = False  # answered as a server answers it, not raised into the test
    client.force_login(cast.screener)
    return client


def new_report_form() -> dict:
    return {"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "method": "phone", "report_source": ""}


def test_a_page_whose_connection_drops_answers_the_error_page_and_keeps_nothing(cast, screener_client):
    audit_rows = AuditEvent.objects.count()
    with BackendKiller(AuditEvent._meta.db_table) as killer:
        response = screener_client.post(reverse("intake_create"), new_report_form())
    assert killer.terminated, "the request never waited on the audit log"
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "Traceback" not in page and "psycopg" not in page
    assert not IntakeReport.objects.exists()
    assert AuditEvent.objects.count() == audit_rows


def test_an_api_request_whose_connection_drops_answers_json_and_keeps_nothing(cast, api_for):
    api = api_for(cast.screener)
    api.raise_request_exception = False
    audit_rows = AuditEvent.objects.count()
    with BackendKiller(AuditEvent._meta.db_table) as killer:
        response = api.post(reverse("api_intake_report_list"), {"method": "phone"}, format="json")
    assert killer.terminated
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}
    assert not IntakeReport.objects.exists()
    assert AuditEvent.objects.count() == audit_rows

"""Benchmarks of the investigations app, run by `manage.py bench` in a throwaway database.

The deadline job over scale * 100,000 open investigations with 300,000 alleged children, loaded with
set-based SQL (one template row per table, copied by INSERT ... SELECT over generate_series), and in the
same run the time of a bare SELECT over the same rows: the floor any job reading them pays.
"""

import statistics
import sys
import time
from collections.abc import Iterable
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from cases.choices import ReportStatus, ResponsePriority
from cases.models import IntakeReport
from demo.bench.dashboard import _staff
from families.models import Person
from investigations.choices import InvestigationStatus
from investigations.models import ChildContactDeadline, DeadlineFlag, Investigation
from investigations.services.deadlines import deadline_flags_refresh

INVESTIGATIONS_AT_SCALE_1 = 100_000
CHILDREN_PER_INVESTIGATION = 3
WORKERS = 50
SCAN_RUNS = 5
# Open statuses the generated investigations cycle through.
STATUSES = [InvestigationStatus.ASSIGNED, InvestigationStatus.IN_PROGRESS, InvestigationStatus.FINDINGS_SUBMITTED]


def _progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _copy(model: type[Model], template: Model, source: str, overrides: dict[str, str], params: list) -> int:
    """INSERT a copy of `template` for each row of `source` (SQL giving at least a column `g`), each column
    taken from the template unless `overrides` gives its SQL expression (over `source`'s columns)."""
    columns = [field.column for field in model._meta.concrete_fields if not field.primary_key]
    values = [overrides.get(column, f"t.{connection.ops.quote_name(column)}") for column in columns]
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = (
        f"INSERT INTO {_table(model)} ({names}) SELECT {', '.join(values)} "  # noqa: S608
        f"FROM {_table(model)} AS t, ({source}) AS s WHERE t.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, template.pk])
        return cursor.rowcount


def _load(count: int) -> None:
    """`count` open investigations of one unit's 50 workers, 3 alleged children each, their deadlines in
    every state: a third of the children unmet and overdue, a third met, a third not yet due; some
    safety assessments, cross-reports and closures past due."""
    now = timezone.now()
    with transaction.atomic():
        unit, supervisor, workers = _staff("Deadline bench", WORKERS)
        worker_ids = sorted(worker.pk for worker in workers)
        child = Person.objects.create(
            first_name="Bench", last_name="Child", birth_date=now.date() - timedelta(days=2900)
        )
        report = IntakeReport.objects.create(
            status=ReportStatus.SCREENED_IN,
            unit=unit,
            created_by=supervisor,
            decided_by=supervisor,
            received_at=now,
            response_priority=ResponsePriority.THREE_DAYS,
            first_contact_due_at=now,
            narrative="Generated for the deadline job benchmark.",
        )
        investigation = Investigation.objects.create(
            report=report, unit=unit, assigned_worker=workers[0], response_due_at=now
        )
        deadline = ChildContactDeadline.objects.create(investigation=investigation, person=child, due_at=now)
        children = count * CHILDREN_PER_INVESTIGATION
        series = "SELECT g FROM generate_series(1, %s) AS g"
        _copy(Person, child, series, {"public_id": "gen_random_uuid()"}, [children - 1])
        # One more report than investigations: the template's, whose investigation is removed again.
        _copy(
            IntakeReport,
            report,
            series,
            {
                "public_id": "gen_random_uuid()",
                # Received 0 to 39 days ago; due 3 days later.
                "received_at": "t.received_at - (mod(s.g, 40)) * interval '1 day'",
                "first_contact_due_at": "t.received_at - (mod(s.g, 40)) * interval '1 day' + interval '3 days'",
            },
            [count],
        )
        reports = (
            "SELECT id AS report_id, received_at, row_number() OVER (ORDER BY id) AS g "  # noqa: S608
            f"FROM {_table(IntakeReport)} WHERE id > %s"
        )
        _copy(
            Investigation,
            investigation,
            reports,
            {
                "public_id": "gen_random_uuid()",
                "report_id": "s.report_id",
                "status": f"(ARRAY{[str(status) for status in STATUSES]})[mod(s.g, {len(STATUSES)}) + 1]",
                "assigned_worker_id": f"(ARRAY{worker_ids})[mod(s.g, {len(worker_ids)}) + 1]",
                "response_due_at": "s.received_at + interval '3 days'",
                "first_contact_at": "CASE WHEN mod(s.g, 3) = 1 THEN s.received_at + interval '1 day' END",
                "safety_assessment_due_at": "CASE WHEN mod(s.g, 3) = 1 THEN s.received_at + interval '3 days' END",
                "cross_report_due_at": "CASE WHEN mod(s.g, 10) = 0 THEN s.received_at + interval '1 day' END",
                "closure_due_at": "s.received_at + interval '30 days'",
            },
            [report.pk],
        )
        investigations = (
            "SELECT i.id AS investigation_id, i.response_due_at, i.first_contact_at, k, "  # noqa: S608
            f"row_number() OVER (ORDER BY i.id, k) AS g FROM {_table(Investigation)} AS i, generate_series(0, 2) AS k "
            "WHERE i.id > %s"
        )
        _copy(
            ChildContactDeadline,
            deadline,
            investigations,
            {
                "investigation_id": "s.investigation_id",
                "person_id": f"{child.pk} + s.g - 1",
                "due_at": "s.response_due_at",
                # Where the first contact was made, two of the three children were seen at it.
                "met_at": "CASE WHEN s.first_contact_at IS NOT NULL AND s.k < 2 THEN s.first_contact_at END",
                "added_at": "s.response_due_at - interval '3 days'",
            },
            [investigation.pk],
        )
        ChildContactDeadline.objects.filter(pk=deadline.pk).delete()
        Investigation.objects.filter(pk=investigation.pk).delete()
    with connection.cursor() as cursor:
        for model in (Person, IntakeReport, Investigation, ChildContactDeadline):
            cursor.execute(f"VACUUM ANALYZE {_table(model)}")


def _scan_seconds() -> float:
    """A bare SELECT over the rows the job reads: every child deadline, every investigation's due times."""
    timings = []
    for _ in range(SCAN_RUNS):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*), max(due_at), max(met_at) FROM {_table(ChildContactDeadline)}")  # noqa: S608
            cursor.execute(
                "SELECT count(*), max(status), max(safety_assessment_due_at), max(cross_report_due_at), "  # noqa: S608
                f"max(closure_due_at) FROM {_table(Investigation)}"
            )
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def bench_investigation_deadline_job(*, scale: float) -> Iterable[tuple[str, float, str]]:
    """The investigation deadline job over scale * (100,000 open investigations, 300,000 alleged children)."""
    count = max(10, round(INVESTIGATIONS_AT_SCALE_1 * scale))
    started = time.perf_counter()
    _load(count)
    children = ChildContactDeadline.objects.count()
    _progress(
        f"loaded {Investigation.objects.count()} investigations, {children} children "
        f"in {time.perf_counter() - started:.1f} s"
    )
    reverse("investigation_list")  # the URLconf loaded, as in a worker after its first task
    before = timezone.now()
    started = time.perf_counter()
    counts = deadline_flags_refresh()
    seconds = time.perf_counter() - started
    _progress(f"first run: {counts}")
    if not counts["flagged"]:
        raise AssertionError("The first run flagged nothing; nothing was measured")
    started = time.perf_counter()
    again = deadline_flags_refresh()
    rerun_seconds = time.perf_counter() - started
    if any(again.values()):
        raise AssertionError(f"A second run changed something: {again}")
    scan = _scan_seconds()
    _progress(f"bare SELECT over the same rows: {scan * 1000:.1f} ms (median of {SCAN_RUNS})")
    yield "investigation_deadline_job_seconds", seconds, "s"
    yield "investigation_deadline_job_rerun_seconds", rerun_seconds, "s"
    yield "investigation_deadline_job_flags", counts["flagged"], "flags"
    yield "investigation_deadline_job_vs_scan", seconds / scan, "x"
    DeadlineFlag.objects.all().delete()
    Notification.objects.filter(created_at__gte=before).delete()


BENCHMARKS = [bench_investigation_deadline_job]

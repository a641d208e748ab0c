"""Benchmarks of the cases app, run by `manage.py bench` in a throwaway database.

Each callable takes `scale` (1.0 is the reference size) and yields (figure, value, unit).
"""

import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core import mail
from django.db import connection
from django.db.models import Max
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.mail import EMAIL_BATCH, email_batches, notifications_email
from accounts.models import Notification
from cases import services, visit_rule
from cases.choices import ContactType
from cases.models import CaseMember, Contact, VisitAlert
from demo.bench import dashboard as bench_dashboard
from demo.generate import Generated, generate

NAIVE_SAMPLE = 10_000
SET_BASED_RUNS = 5
# The job's e-mails are built and handed to a backend as in production, but kept in memory:
# the console backend would print them onto the benchmark's standard output.
MEMORY_MAIL = "django.core.mail.backends.locmem.EmailBackend"


_generated: dict[float, Generated] = {}


def _progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _data(scale: float) -> Generated:
    """The generated casework, loaded once per `manage.py bench` and shared by the benchmarks that need it."""
    if scale not in _generated:
        _generated[scale] = generate(scale=scale)
    return _generated[scale]


def _timed_run() -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    counts = services.visit_alerts_refresh()
    return time.perf_counter() - started, counts


def _emails_seconds(since) -> float:
    """What the workers then spend on the run's digest e-mails: every batch a task would get, one after another."""
    ids = list(Notification.objects.filter(created_at__gte=since).order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    sent = sum(notifications_email(ids=batch) for batch in email_batches(ids))
    seconds = time.perf_counter() - started
    _progress(f"{sent} digest e-mails sent in {seconds:.2f} s, in batches of up to {EMAIL_BATCH} as the tasks get them")
    return seconds


def _undo_runs(since) -> None:
    """Back to the state before the first run (the generated data has no alerts), for another first run."""
    VisitAlert.objects.all().delete()
    Notification.objects.filter(created_at__gte=since).delete()
    mail.outbox = []
    with connection.cursor() as cursor:
        for model in (VisitAlert, Notification):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# Runs manage.py in a fresh interpreter and reports, as it exits, the peak resident memory of
# that process image (VmHWM). Not ru_maxrss: on Linux a spawned child's ru_maxrss starts from
# the parent's resident size, here the benchmark's own.
PEAK_REPORTING_CHILD = """
import atexit, runpy, sys
def report():
    with open("/proc/self/status") as status:
        print(next(line for line in status if line.startswith("VmHWM:")), file=sys.stderr)
atexit.register(report)
sys.argv = [sys.argv[1], "flag_overdue_visits"]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def _command_peak_mb() -> float:
    """Peak resident memory of a fresh `manage.py flag_overdue_visits` process on this database.

    The whole process, as a worker would hold it: Python, Django, the job.
    """
    url = urlsplit(os.environ["DATABASE_URL"])
    database_url = urlunsplit(url._replace(path="/" + quote(connection.settings_dict["NAME"])))
    finished = subprocess.run(  # noqa: S603 - our own interpreter and manage.py, no shell
        [sys.executable, "-c", PEAK_REPORTING_CHILD, str(Path(settings.BASE_DIR) / "manage.py")],
        env={**os.environ, "DATABASE_URL": database_url, "EMAIL_BACKEND": MEMORY_MAIL},
        capture_output=True,
        text=True,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"manage.py flag_overdue_visits failed ({finished.returncode}):\n{finished.stderr}")
    _progress("child: " + finished.stdout.strip().replace("\n", "; "))
    peak = next(line for line in finished.stderr.splitlines() if line.startswith("VmHWM:"))
    return int(peak.split()[1]) / 1024


def _python_peak_mb() -> float:
    """Peak of the Python heap the job allocates (tracemalloc), in this process; slower, so not timed."""
    tracemalloc.start()
    try:
        services.visit_alerts_refresh()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _sample(size: int) -> list[int]:
    """A fixed pseudo-random sample of the members the rule applies to."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {connection.ops.quote_name(CaseMember._meta.db_table)} "  # noqa: S608
            "WHERE requires_visit ORDER BY md5(id::text) LIMIT %s",
            [size],
        )
        return [row[0] for row in cursor.fetchall()]


def _naive_statuses(member_ids: list[int], today) -> dict[int, str]:
    """What a naive job does: for each member, one query for their latest face-to-face visit."""
    statuses = {}
    for member in CaseMember.objects.filter(pk__in=member_ids).select_related("case"):
        last = Contact.objects.filter(
            case_id=member.case_id, contact_type=ContactType.FACE_TO_FACE, people_seen=member.person_id
        ).aggregate(last=Max("occurred_at"))["last"]
        due = visit_rule.due_date(
            last_face_to_face_at=last, case_opened_at=member.case.visits_counted_from, started_on=member.started_on
        )
        requires = visit_rule.requires_visit(
            must_be_seen=member.must_be_seen, ended_on=member.ended_on, case_status=member.case.status
        )
        statuses[member.pk] = visit_rule.status(
            requires=requires, must_be_seen=member.must_be_seen, due=due, today=today
        )
    return statuses


def _job_statuses(member_ids: list[int], today) -> dict[int, str]:
    """The job's way: one query classifies every member from the due date kept on its row."""
    members = CaseMember.objects.filter(pk__in=member_ids)
    return dict(members.annotate(visit_status=visit_rule.status_expression(today)).values_list("pk", "visit_status"))


def bench_overdue_job(*, scale: float) -> Iterable[tuple[str, float, str]]:
    """The overdue-visit job over scale * (250,000 open cases, 1,000,000 members, 5,000,000 contacts)."""
    data = _data(scale)
    # A worker has its URLconf loaded after its first task; the job's links should not pay for the import.
    reverse("my_work")
    with override_settings(EMAIL_BACKEND=MEMORY_MAIL):
        before = timezone.now()
        seconds, counts = _timed_run()
        _progress(f"first run: {counts}")
        if not counts["opened_overdue"] or not counts["opened_due_soon"]:
            raise AssertionError(f"The first run opened no alerts of some kind ({counts}); nothing was measured")
        yield "overdue_job_seconds", seconds, "s"
        yield "overdue_job_emails_seconds", _emails_seconds(before), "s"

        rerun_seconds, again = _timed_run()
        if any(again.values()):
            raise AssertionError(f"A second run changed something: {again}")
        yield "overdue_job_rerun_seconds", rerun_seconds, "s"

        # The next morning: members newly due soon or overdue are alerted, due-soon alerts of
        # members now overdue are resolved (visits resolve their alerts as they are logged).
        started = time.perf_counter()
        next_day = services.visit_alerts_refresh(today=timezone.localdate() + timedelta(days=1))
        _progress(f"next day's run: {next_day}")
        yield "overdue_job_next_day_seconds", time.perf_counter() - started, "s"

        _undo_runs(before)
        peak_mb = _command_peak_mb()
        idle_mb = _command_peak_mb()  # the same process once the alerts are open: Django and a run with nothing to do
        _progress(f"peak RSS {peak_mb:.1f} MB; a run with nothing to do peaks at {idle_mb:.1f} MB")
        yield "overdue_job_peak_mb", peak_mb, "MB"
        yield "overdue_job_rss_delta_mb", peak_mb - idle_mb, "MB"

        _undo_runs(before)
        yield "overdue_job_python_peak_mb", _python_peak_mb(), "MB"

    today = timezone.localdate()
    sample = _sample(min(NAIVE_SAMPLE, data.must_be_seen))
    started = time.perf_counter()
    naive = _naive_statuses(sample, today)
    naive_seconds = time.perf_counter() - started
    timings = []
    for _ in range(SET_BASED_RUNS):
        started = time.perf_counter()
        job = _job_statuses(sample, today)
        timings.append(time.perf_counter() - started)
    if naive != job:
        differ = [pk for pk in sample if naive.get(pk) != job.get(pk)][:5]
        raise AssertionError(f"The naive loop and the job disagree, e.g. on members {differ}")
    set_based_seconds = statistics.median(timings)
    _progress(
        f"{len(sample)} members: naive loop {naive_seconds:.2f} s ({len(sample) + 1} queries), "
        f"set-based {set_based_seconds * 1000:.1f} ms (1 query); same statuses"
    )
    yield "overdue_job_speedup_vs_naive", naive_seconds / set_based_seconds, "x"


def bench_supervisor_dashboard(*, scale: float) -> Iterable[tuple[str, float, str]]:
    """The supervisor dashboard of a unit of 8 workers x 25 cases, on top of the generated casework."""
    yield from bench_dashboard.bench_supervisor_dashboard(scale=scale, data=_data(scale))


BENCHMARKS = [bench_overdue_job, bench_supervisor_dashboard]

"""`manage.py flag_overdue_visits`: run the overdue-visit job now, in this process, and print what it did."""

from django.core.management.base import BaseCommand

from cases import services
from cases.models import VisitJobRun


class Command(BaseCommand):
    help = "Open and resolve face-to-face visit alerts now (the daily Celery job, run in this process)."

    def handle(self, *args, **options):
        run = services.visit_job_run(trigger=VisitJobRun.Trigger.COMMAND)
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(f"Visit job run {run.pk} finished in {seconds:.2f} s.")
        for name, count in run.counts.items():
            self.stdout.write(f"{name}: {count}")

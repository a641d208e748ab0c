"""The overdue-visit job's page: its last runs, and "Run now" for administrators."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from kombu.exceptions import OperationalError

from accounts import access
from cases.models import VisitJobRun
from cases.tasks import flag_overdue_visits

RUNS_SHOWN = 30


@require_http_methods(["GET", "POST"])
def visit_job_page(request):
    access.require_capability(request.user, "run_jobs")
    if request.method == "POST":
        # Queued, not run here: the job runs in a worker like every scheduled run, and the page stays quick.
        try:
            flag_overdue_visits.delay(trigger=VisitJobRun.Trigger.MANUAL, requested_by_id=request.user.pk)
        except OperationalError:
            messages.error(request, "The job could not be queued: the task queue (Redis) is not reachable.")
        else:
            messages.success(request, "The overdue-visit job is queued. Reload this page to see its run.")
        return redirect("visit_job_page")
    runs = VisitJobRun.objects.select_related("requested_by")[:RUNS_SHOWN]
    return render(
        request,
        "cases/jobs.html",
        {"runs": runs, "job_hour": settings.KINDRED_VISIT_JOB_HOUR, "time_zone": settings.TIME_ZONE},
    )

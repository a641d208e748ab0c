"""The home page, My work, the unit dashboard, and the list behind each of its numbers. Thin: the selectors count."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts import access
from accounts.audit import log_list_read
from common.errors import refuse_request
from records.approvals import approvals_for
from reporting import charts
from reporting import selectors as dashboards

DRILLDOWN_PAGE_SIZE = 100


@require_safe
def home(request):
    """Each role's work queue (see `reporting.selectors.home`)."""
    home = dashboards.home(request.user)
    log_list_read(request.user, home.shown(), context="Home")
    return render(request, "home.html", {"home": home, "due_soon_days": settings.KINDRED_VISIT_DUE_SOON_DAYS})


@require_safe
def my_work(request):
    access.require_capability(request.user, "work_cases")
    work = dashboards.my_work(request.user)
    log_list_read(request.user, work.shown(), context="My work")
    return render(
        request,
        "reporting/my_work.html",
        {
            "work": work,
            "reads_dashboard": dashboards.reads_dashboard(request.user),
            "due_soon_days": settings.KINDRED_VISIT_DUE_SOON_DAYS,
        },
    )


def _scope(request) -> tuple[dashboards.Scope, dict]:
    """The units and month asked for, as far as the user may read them, and the page context about them."""
    choices, picked, units = dashboards.units_in_view(request.user, request.GET.get("unit"))
    month = dashboards.Month.parse(request.GET.get("month"))
    filters = {"month": month.key, **({"unit": picked.public_id} if picked else {})}
    context = {
        "unit_choices": choices,
        "unit": picked,
        "month": month,
        "current_month": dashboards.Month.current(),
        "filters": urlencode(filters),
        "visited_target": round(100 * settings.KINDRED_FEDERAL_VISITED_TARGET),
        "residence_target": round(100 * settings.KINDRED_FEDERAL_IN_RESIDENCE_TARGET),
        "visit_interval_days": settings.KINDRED_VISIT_INTERVAL_DAYS,
    }
    return dashboards.Scope.build(user=request.user, units=units, month=month), context


@require_safe
def supervisor_dashboard(request):
    try:
        scope, context = _scope(request)
    except ValidationError as error:
        return refuse_request(request, " ".join(error.messages))
    listed = dashboards.listed_units(context["unit_choices"], context["unit"])
    page = dashboards.caseworker_page(listed, request.GET.get("page"))
    dashboard = dashboards.unit_dashboard(scope, workers=list(page))
    return render(
        request,
        "reporting/supervisor_dashboard.html",
        {
            **context,
            "dashboard": dashboard,
            "page": page,
            "rows": [(row, f"{context['filters']}&worker={row.worker.public_id}") for row in dashboard.rows],
            "chart": charts.compliance_chart(dashboard.chart),
            "links": {metric: reverse("dashboard_drilldown", args=[metric]) for metric in dashboards.METRICS},
            # A supervisor's rows are the workers of the units they supervise: each row offers to move their cases.
            "supervises": access.has_capability(request.user, "supervise_units"),
        },
    )


@require_safe
def dashboard_drilldown(request, metric: str):
    try:
        scope, context = _scope(request)
    except ValidationError as error:
        return refuse_request(request, " ".join(error.messages))
    worker = dashboards.worker_in_view(scope.units, request.GET.get("worker"))
    listed = dashboards.drilldown(scope, metric, worker)
    page = Paginator(listed.rows, DRILLDOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    log_list_read(request.user, page, context=f"Dashboard: {listed.title}")
    return render(
        request,
        f"reporting/dashboard_{listed.kind}.html",
        {**context, "listed": listed, "worker": worker, "page": page},
    )


@require_safe
def approval_queue(request):
    """Everything awaiting the supervisor's decision, across record types, the most urgent first."""
    access.require_capability(request.user, "supervise_units")
    items = approvals_for(request.user)
    log_list_read(request.user, items, context="Approvals")
    return render(request, "reporting/approvals.html", {"items": items})

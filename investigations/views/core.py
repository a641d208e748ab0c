from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts import access, naming
from accounts.audit import log_list_read
from common.forms import add_service_errors
from investigations import selectors, services
from investigations.choices import InvestigationStatus
from investigations.forms import AssignForm
from investigations.models import Investigation
from investigations.selectors.deadlines import with_deadline_states
from investigations.selectors.page import investigation_page


@require_safe
def investigation_list(request):
    access.require_capability(request.user, "work_cases")
    status = request.GET.get("status", "")
    if status not in InvestigationStatus.values:
        status = ""
    shows = [(selectors.MINE, "Mine")] if access.has_capability(request.user, "carry_caseload") else []
    if access.has_capability(request.user, "supervise_units"):
        shows.append((selectors.MY_UNITS, "My unit's"))
    show = request.GET.get("show", "")
    if show not in dict(shows):
        show = ""
    found = naming.with_titles(selectors.investigations(user=request.user, status=status, show=show))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    page.object_list = with_deadline_states(page.object_list)
    log_list_read(request.user, page.object_list, context="Investigations")
    return render(
        request,
        "investigations/investigation_list.html",
        {"page": page, "status": status, "statuses": InvestigationStatus.choices, "show": show, "shows": shows},
    )


@require_safe
def investigation_detail(request, public_id):
    investigation = access.get_for_view(
        request.user,
        Investigation.objects.select_related("report", "unit", "assigned_worker"),
        public_id=public_id,
    )
    decisions = access.decisions(request.user, investigation)
    return render(
        request,
        "investigations/investigation_detail.html",
        {
            "investigation": investigation,
            "decisions": decisions,
            "can_assign": decisions.may_supervise,
            "transitions": investigation.transitions.select_related("by"),
            **investigation_page(investigation, request.user, decisions),
        },
    )


@require_http_methods(["GET", "POST"])
def investigation_assign(request, public_id):
    investigation = access.get_for_supervising(
        request.user, Investigation.objects.select_related("report", "assigned_worker"), public_id=public_id
    )
    workers = access.assignable_workers(
        units=access.supervising_units(request.user), restriction=investigation.report.access_restriction
    )
    form = AssignForm(request.POST or None, workers=workers, reassigning=investigation.assigned_worker_id is not None)
    if request.method == "POST" and form.is_valid():
        try:
            services.investigation_assign(
                actor=request.user,
                investigation=investigation,
                worker=form.cleaned_data["worker"],
                keep_previous_access=form.cleaned_data.get("keep_previous_access", False),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{investigation.reference} assigned to {form.cleaned_data['worker']}.")
            return redirect("investigation_detail", public_id=investigation.public_id)
    return render(request, "investigations/investigation_assign.html", {"investigation": investigation, "form": form})

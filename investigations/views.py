from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts import access
from accounts.forms import add_service_errors
from accounts.roles import Role
from investigations import selectors, services
from investigations.choices import InvestigationStatus
from investigations.forms import AssignForm
from investigations.models import Investigation


@require_safe
def investigation_list(request):
    access.require_capability(request.user, "work_cases")
    status = request.GET.get("status", "")
    if status not in InvestigationStatus.values:
        status = ""
    page = Paginator(selectors.investigations(user=request.user, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "investigations/investigation_list.html",
        {"page": page, "status": status, "statuses": InvestigationStatus.choices},
    )


@require_safe
def investigation_detail(request, public_id):
    investigation = access.get_for_view(
        request.user,
        Investigation.objects.select_related("report", "unit", "assigned_worker"),
        public_id=public_id,
    )
    can_assign = request.user.has_role(Role.SUPERVISOR) and access.can_change(request.user, investigation)
    return render(
        request,
        "investigations/investigation_detail.html",
        {"investigation": investigation, "can_assign": can_assign},
    )


@require_http_methods(["GET", "POST"])
def investigation_assign(request, public_id):
    investigation = access.get_for_change(
        request.user, Investigation.objects.select_related("report", "assigned_worker"), public_id=public_id
    )
    if not request.user.has_role(Role.SUPERVISOR):
        raise PermissionDenied
    form = AssignForm(request.POST or None, supervisor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.investigation_assign(
                actor=request.user, investigation=investigation, worker=form.cleaned_data["worker"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{investigation.reference} assigned to {form.cleaned_data['worker']}.")
            return redirect("investigation_detail", public_id=investigation.public_id)
    return render(request, "investigations/investigation_assign.html", {"investigation": investigation, "form": form})

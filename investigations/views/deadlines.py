"""Pages of an investigation's deadlines: the supervisor's excuse of a child's first-contact deadline."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import access
from common.forms import add_service_errors
from investigations.forms.deadlines import DeadlineExcuseForm
from investigations.models import ChildContactDeadline, Investigation
from investigations.selectors.deadlines import child_deadline_for
from investigations.services.deadlines import child_deadline_excuse


@require_http_methods(["GET", "POST"])
def child_deadline_excuse_page(request, public_id, person_id):
    investigation = access.get_for_supervising(
        request.user, Investigation.objects.select_related("report", "unit"), public_id=public_id
    )
    try:
        deadline = child_deadline_for(investigation, person_id)
    except ChildContactDeadline.DoesNotExist:
        raise Http404 from None
    form = DeadlineExcuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child_deadline_excuse(actor=request.user, deadline=deadline, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The first-contact deadline of {deadline.person.full_name} is excused.")
            return redirect("investigation_detail", public_id=investigation.public_id)
    return render(
        request,
        "investigations/deadline_excuse.html",
        {"investigation": investigation, "deadline": deadline, "form": form},
    )
